using System.IO.Compression;
using System.Text.Json;
using CrawlGrep.Core.Generation;
using CrawlGrep.Tests.EndToEnd;
using DuckDB.NET.Data;

namespace CrawlGrep.Tests.Index;

/// <summary>
/// A generated crawl laid out as Common Crawl's root: the WARC, its columnar index under
/// <c>cc-index/table/cc-main/warc/crawl=ID/subset=warc/</c>, its CDX file, and a collinfo.json naming the crawl (and,
/// when given, a CDX server for it). Scans read it through <c>--crawl</c> and <c>--cc-root</c>, as they would the real one.
/// </summary>
internal sealed class IndexCrawl : IDisposable
{
    public const string Crawl = CorpusGenerator.Crawl;
    public static readonly string[] Patterns = ["-e", "facebook", "-e", @"jquery[.-]", "-e", "(?i)privacy policy"];

    private readonly TempDir _dir = new();

    public IndexCrawl(string compression = "gzip", string size = "6M", int seed = 11)
    {
        var generated = EndToEnd.Cli.Run(Root, "generate", "--out", Root, "--size", size, "--seed", seed.ToString(), "--compression", compression);
        if (generated.ExitCode != 0) throw new InvalidOperationException(generated.Stderr);
        Warc = Directory.GetFiles(Root).Single(f => f.Contains(".warc") && !f.Contains(".wet") && !f.Contains(".wat"));
        WriteCollinfo(null);
    }

    public string Root => _dir.Path;
    public string Warc { get; }
    public string Collinfo => Path.Combine(Root, "collinfo.json");
    public string IndexFolder => Path.Combine(Root, "cc-index", "table", "cc-main", "warc", $"crawl={Crawl}", "subset=warc");

    /// <summary>collinfo.json naming the crawl, with <paramref name="cdxApi"/> as its CDX server.</summary>
    public void WriteCollinfo(string? cdxApi) => File.WriteAllText(Collinfo, JsonSerializer.Serialize(new[]
    {
        new Dictionary<string, string> { ["id"] = Crawl, ["name"] = "May 2024 Index", ["cdx-api"] = cdxApi ?? $"http://127.0.0.1:9/{Crawl}-index", ["from"] = "2024-05-17T00:00:00", ["to"] = "2024-05-30T00:00:00" },
    }));

    /// <summary>The crawl flags of a scan of this layout.</summary>
    public string[] CrawlFlags => ["--crawl", Crawl, "--cc-root", Root, "--collinfo", Collinfo];

    public EndToEnd.Cli.Result Run(params string[] args) => EndToEnd.Cli.Run(Root, new Dictionary<string, string?> { ["XDG_CACHE_HOME"] = Path.Combine(Root, "cache") }, args);

    /// <summary>The record offsets a predicate selects, asked of the index directly.</summary>
    public HashSet<long> Offsets(string predicate) => Ask($"SELECT warc_record_offset FROM {Table} WHERE {predicate}").ToHashSet();

    /// <summary>The selected records' bytes.</summary>
    public long SelectedBytes(string predicate) => Ask($"SELECT coalesce(sum(warc_record_length), 0)::BIGINT FROM {Table} WHERE {predicate}").Single();

    private string Table => $"read_parquet('{Path.Combine(IndexFolder, "*.parquet")}')";

    private static List<long> Ask(string sql)
    {
        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var values = new List<long>();
        while (r.Read()) values.Add(Convert.ToInt64(r.GetValue(0)));
        return values;
    }

    /// <summary>The CDX lines of the crawl, with their URLs: what a CDX server would page through.</summary>
    public List<(string Url, string Line)> CdxLines()
    {
        string file = Path.Combine(Root, "cc-index", "collections", Crawl, "indexes", "cdx-00000.gz");
        using var gz = new GZipStream(File.OpenRead(file), CompressionMode.Decompress); // one member after another: .NET reads them all
        using var reader = new StreamReader(gz);
        var lines = new List<(string, string)>();
        while (reader.ReadLine() is { } line)
            if (line.Length > 0) lines.Add((Core.Planning.Index.CdxLine.Parse(line).Url, line));
        return lines;
    }

    /// <summary>Hits as rows to compare: file, record, pattern, where and what matched.</summary>
    public static List<string> Hits(string db, string where = "true") =>
        Core.Results.SqlRunner.Run(db, $"SELECT file, record_offset, record_length, pattern_index, match_offset, match FROM hits WHERE {where} ORDER BY ALL", readOnly: true)
            .Rows.Select(r => string.Join("|", r.Select(v => v?.ToString()))).ToList();

    public void Dispose() => _dir.Dispose();
}
