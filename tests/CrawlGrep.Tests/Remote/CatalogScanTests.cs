using System.IO.Compression;
using System.Text;
using System.Text.Json;
using CrawlGrep.Core.Generation;
using CrawlGrep.Tests.Conformance;
using CrawlGrep.Tests.EndToEnd;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Remote;

using Cli = EndToEnd.Cli; // not the CrawlGrep.Cli namespace

/// <summary>
/// The crawl selectors end to end against a copy of Common Crawl's layout served by s3rver: the real collinfo.json,
/// and for its newest crawl generated WARC, WET and WAT files in two segments with their paths.gz lists. Scans of a
/// selection give, file for file, the hits of local scans of the same files, named as in CC's index.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class CatalogScanTests(S3rver fixture, ITestOutputHelper output)
{
    private const string Bucket = "commoncrawl";
    private static readonly string[] Segments = ["1747370000000.11", "1747370000000.12"];
    private const int FilesPerSegment = 2;

    private sealed record Mirror(string Crawl, string LocalRoot, string[] Args, Dictionary<string, string?> Env);

    private static readonly Dictionary<S3rver, Mirror> Mirrors = new();

    private Mirror? Setup()
    {
        if (RealData.Require(output) is not { } real || fixture.Require(output) is not { } s3) return null;
        lock (Mirrors)
        {
            if (Mirrors.TryGetValue(s3, out var ready)) return ready;
            string collinfo = Path.Combine(real, "common_crawl_ex", "collinfo.json");
            string crawl = JsonDocument.Parse(File.ReadAllBytes(collinfo)).RootElement[0].GetProperty("id").GetString()!;
            string root = Directory.CreateTempSubdirectory("crawlgrep-ccmirror-").FullName;
            s3.CreateBucket(Bucket);
            s3.Upload(Bucket, "collinfo.json", collinfo);
            var lists = new Dictionary<string, List<string>> { ["warc"] = new(), ["wet"] = new(), ["wat"] = new() };
            int n = 0;
            foreach (string segment in Segments)
                for (int f = 0; f < FilesPerSegment; f++, n++)
                {
                    string name = $"CC-MAIN-20250515000000-20250515030000-{n:D5}";
                    var paths = new Dictionary<string, string>
                    {
                        ["warc"] = $"crawl-data/{crawl}/segments/{segment}/warc/{name}.warc.gz",
                        ["wet"] = $"crawl-data/{crawl}/segments/{segment}/wet/{name}.warc.wet.gz",
                        ["wat"] = $"crawl-data/{crawl}/segments/{segment}/wat/{name}.warc.wat.gz",
                    };
                    var streams = paths.ToDictionary(p => p.Key, p =>
                    {
                        string local = Path.Combine(root, p.Value);
                        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
                        return (Stream)File.Create(local);
                    });
                    new CorpusGenerator(new CorpusOptions { Seed = 100 + n, TargetSize = 400 << 10 }).Generate(streams["warc"], streams["wet"], streams["wat"]);
                    foreach (var s in streams.Values) s.Dispose();
                    foreach (var (type, path) in paths)
                    {
                        s3.Upload(Bucket, path, Path.Combine(root, path));
                        lists[type].Add(path);
                    }
                }
            foreach (var (type, paths) in lists)
            {
                var gz = new MemoryStream();
                using (var z = new GZipStream(gz, CompressionLevel.Optimal, leaveOpen: true)) z.Write(Encoding.UTF8.GetBytes(string.Join("\n", paths) + "\n"));
                s3.Upload(Bucket, $"crawl-data/{crawl}/{type}.paths.gz", gz.ToArray());
            }
            var env = new Dictionary<string, string?>
            {
                ["AWS_ACCESS_KEY_ID"] = S3rver.AccessKey, ["AWS_SECRET_ACCESS_KEY"] = S3rver.SecretKey,
                ["XDG_CACHE_HOME"] = Path.Combine(root, "cache"), ["CRAWLGREP_RETRY_BASE_MS"] = "1",
            };
            var mirror = new Mirror(crawl, root, ["--s3-endpoint", s3.Endpoint, "--cc-root", $"s3://{Bucket}/", "--collinfo", $"s3://{Bucket}/collinfo.json"], env);
            Mirrors[s3] = mirror;
            return mirror;
        }
    }

    private Cli.Result Run(Mirror m, string dir, params string[] args) => Cli.Run(dir, m.Env, [.. args, .. m.Args]);

    /// <summary>crawlgrep -c over the local copies of <paramref name="urls"/>, as "url:count" lines.</summary>
    private static string[] LocalCounts(Mirror m, string dir, IEnumerable<string> urls, params string[] flags)
    {
        var list = urls.ToList();
        var local = list.Select(u => Path.Combine(m.LocalRoot, u[$"s3://{Bucket}/".Length..])).ToList();
        var r = Cli.Run(dir, [.. flags, "--no-db", "-c", "-i", "the", .. local]);
        return r.Lines.Select(l => l.Replace(m.LocalRoot + "/", $"s3://{Bucket}/")).ToArray();
    }

    [Fact]
    public void Crawls_lists_the_catalog_served_by_s3()
    {
        if (Setup() is not { } m) return;
        using var tmp = new TempDir();
        var r = Run(m, tmp.Path, "crawls", "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(m.Crawl, JsonDocument.Parse(r.Lines[0]).RootElement.GetProperty("id").GetString());
        var files = Run(m, tmp.Path, "crawls", "latest", "--type", "wet");
        Assert.Equal(Segments.Length * FilesPerSegment, files.Lines.Length);
        Assert.All(files.Lines, f => Assert.StartsWith($"s3://{Bucket}/crawl-data/{m.Crawl}/segments/", f));
    }

    [Fact]
    public void A_scan_of_the_first_files_of_the_latest_crawl_gives_the_local_hits()
    {
        if (Setup() is not { } m) return;
        using var tmp = new TempDir();
        var r = Run(m, tmp.Path, "--crawl", "latest", "--files", "3", "--no-db", "-c", "-i", "the");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(3, r.Lines.Length);
        var urls = r.Lines.Select(l => l[..l.LastIndexOf(':')]).ToList();
        Assert.All(urls, u => Assert.Matches($@"^s3://{Bucket}/crawl-data/{m.Crawl}/segments/[0-9.]+/warc/CC-MAIN-[0-9-]+\.warc\.gz$", u));
        Assert.Equal(LocalCounts(m, tmp.Path, urls), r.Lines);
        Assert.All(r.Lines, l => Assert.False(l.EndsWith(":0"), l));
    }

    [Fact]
    public void Segment_type_and_sample_select_the_files_crawls_lists_and_hits_name_crawl_file_and_offsets()
    {
        if (Setup() is not { } m) return;
        using var tmp = new TempDir();
        string yearWeek = m.Crawl["CC-MAIN-".Length..];
        var wet = Run(m, tmp.Path, "--crawl", yearWeek, "--type", "wet", "--segment", Segments[1], "--no-db", "-c", "-i", "the");
        Assert.True(wet.ExitCode == 0, wet.Stderr);
        Assert.Equal(FilesPerSegment, wet.Lines.Length);
        Assert.All(wet.Lines, l => Assert.Contains($"/segments/{Segments[1]}/wet/", l));
        Assert.Equal(LocalCounts(m, tmp.Path, wet.Lines.Select(l => l[..l.LastIndexOf(':')])), wet.Lines);

        // A WAT selection scans metadata records (the default types would skip them all).
        var wat = Run(m, tmp.Path, "--crawl", "latest", "--type", "wat", "--files", "1", "--no-db", "-c", "-i", "the");
        string watUrl = Run(m, tmp.Path, "crawls", "latest", "--type", "wat", "--files", "1").Lines.Single();
        Assert.Equal(LocalCounts(m, tmp.Path, [watUrl], "--type", "metadata"), wat.Lines); // one input: its count alone
        Assert.NotEqual("0", wat.Lines.Single());

        // --sample with a seed picks what crawls picks, the same each time.
        var picked = Run(m, tmp.Path, "crawls", "latest", "--sample", "2", "--seed", "9").Lines;
        var sample = Run(m, tmp.Path, "--crawl", "latest", "--sample", "2", "--seed", "9", "--no-db", "--json", "-m", "1", "-i", "the");
        Assert.True(sample.ExitCode == 0, sample.Stderr);
        var hits = sample.Lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(picked.Order(StringComparer.Ordinal), hits.Select(h => h.GetProperty("file").GetString()!).Distinct().Order(StringComparer.Ordinal));
        Assert.All(hits, h => Assert.Equal(m.Crawl, h.GetProperty("crawl").GetString()));

        // Offsets as in CC's index: show reads the record back from S3 with one range.
        var first = hits[0];
        var show = Cli.Run(tmp.Path, m.Env, "show", "--headers", "--s3-endpoint", m.Args[1], first.GetProperty("file").GetString()!,
            first.GetProperty("record_offset").GetInt64().ToString(), first.GetProperty("record_length").GetInt64().ToString());
        Assert.True(show.ExitCode == 0, show.Stderr);
        Assert.Contains($"WARC-Record-ID: {first.GetProperty("record_id").GetString()}", show.Stdout);
    }
}
