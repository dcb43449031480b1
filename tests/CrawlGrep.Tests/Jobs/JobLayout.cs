using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using CrawlGrep.Core.Results;
using CrawlGrep.Tests.EndToEnd;

namespace CrawlGrep.Tests.Jobs;

/// <summary>
/// A local copy of Common Crawl's layout for job tests: a collinfo.json the test grows crawl by crawl, each crawl's
/// archives (copies of the bundled sample WARC, concatenated to the size a test needs) and its warc.paths.gz, a
/// folder of job files, and the clock (<c>CRAWLGREP_NOW</c>) every crawlgrep the test starts runs on.
/// </summary>
internal sealed class JobLayout : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly List<(string Id, DateTime From)> _crawls = [];

    public JobLayout()
    {
        Directory.CreateDirectory(Jobs);
        WriteCollinfo();
    }

    public string Root => _dir.Path;
    public string Jobs => Path.Combine(Root, "jobs");
    public string Collinfo => Path.Combine(Root, "collinfo.json");
    public string Database => Path.Combine(Jobs, "crawlgrep.duckdb");

    /// <summary>The time the next crawlgrep started takes as now.</summary>
    public DateTime Now { get; set; } = new(2026, 12, 1, 5, 0, 0, DateTimeKind.Utc);

    /// <summary>Lists a crawl in collinfo.json (newest first, as Common Crawl does), without publishing its files.</summary>
    public void AddCrawl(string id, DateTime from)
    {
        _crawls.Add((id, from));
        WriteCollinfo();
    }

    /// <summary>Writes a crawl's archives (<paramref name="files"/> files, each the sample <paramref name="copies"/> times) and its warc.paths.gz.</summary>
    public IReadOnlyList<string> Publish(string crawl, int files, int copies = 1)
    {
        byte[] sample = File.ReadAllBytes(SamplePath());
        var relative = new List<string>();
        for (int f = 0; f < files; f++)
        {
            string rel = $"crawl-data/{crawl}/segments/1722640353668.{f % 2}/warc/{crawl}-{f:D5}.warc.gz";
            string path = Path.Combine(Root, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using (var fs = File.Create(path))
                for (int c = 0; c < copies; c++) fs.Write(sample);
            relative.Add(rel);
        }
        string list = Path.Combine(Root, "crawl-data", crawl, "warc.paths.gz");
        using (var gz = new GZipStream(File.Create(list), CompressionLevel.Fastest))
            gz.Write(Encoding.UTF8.GetBytes(string.Join("\n", relative) + "\n"));
        return relative.Select(r => Path.Combine(Root, r)).ToList();
    }

    /// <summary>Writes jobs/NAME.toml.</summary>
    public string WriteJob(string name, string toml)
    {
        string file = Path.Combine(Jobs, name + ".toml");
        File.WriteAllText(file, toml);
        return file;
    }

    /// <summary>The input part of a job reading this layout's crawls.</summary>
    public string CrawlInput(string crawl, string extra = "") =>
        $"[input]\ncrawl = {(crawl.StartsWith('[') ? crawl : $"\"{crawl}\"")}\ncollinfo = \"../collinfo.json\"\ncc_root = \"..\"\n{extra}";

    public EndToEnd.Cli.Result Run(params string[] args) => EndToEnd.Cli.Run(Jobs, Environment(), args);

    /// <summary>Starts crawlgrep without waiting for it (to kill it, or to race two).</summary>
    public Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = Jobs, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "crawlgrep.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in Environment()) psi.Environment[k] = v;
        var p = Process.Start(psi)!;
        p.StandardInput.Close();
        return p;
    }

    public IReadOnlyDictionary<string, string?> Environment() => new Dictionary<string, string?>
    {
        ["CRAWLGREP_NOW"] = Now.ToString("O"),
        ["XDG_CACHE_HOME"] = Path.Combine(Root, "cache"),
        ["NO_COLOR"] = "1",
        ["CRAWLGREP_LAMBDA"] = null,
    };

    /// <summary>Rows of a query over the job database (opened read-only, waiting its turn if a crawlgrep holds it).</summary>
    public List<object?[]> Query(string sql, string? db = null)
    {
        var result = SqlRunner.Run(db ?? Database, sql, readOnly: true);
        return result.Rows.Select(r => r.ToArray()).ToList();
    }

    public long Scalar(string sql, string? db = null) => Query(sql, db)[0][0] switch { null => 0, System.Numerics.BigInteger b => (long)b, var v => Convert.ToInt64(v) };

    /// <summary>A scan's hits without its id, in a fixed order: what two runs of one question must agree on.</summary>
    public List<string> Hits(long scanId, string? db = null) =>
        Query($"SELECT file, record_offset, record_length, pattern_index, match_offset, match FROM hits WHERE scan_id = {scanId} ORDER BY ALL", db)
            .Select(r => string.Join("|", r.Select(v => v?.ToString()))).ToList();

    /// <summary>The repository's bundled sample WARC.</summary>
    public static string SamplePath()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "samples"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? ".", "samples", "CC-MAIN-20240517233122-20240518023122-00000.warc.gz");
    }

    private void WriteCollinfo()
    {
        var items = _crawls.OrderByDescending(c => c.From).Select(c => new Dictionary<string, string>
        {
            ["id"] = c.Id,
            ["name"] = $"{c.From:MMMM yyyy} Index",
            ["timegate"] = $"https://index.commoncrawl.org/{c.Id}/",
            ["cdx-api"] = $"https://index.commoncrawl.org/{c.Id}-index",
            ["from"] = c.From.ToString("yyyy-MM-ddTHH:mm:ss"),
            ["to"] = c.From.AddDays(12).ToString("yyyy-MM-ddTHH:mm:ss"),
        });
        File.WriteAllText(Collinfo, JsonSerializer.Serialize(items));
    }

    public void Dispose() => _dir.Dispose();
}
