using CrawlGrep.Core.Results;
using CrawlGrep.Tests.Remote;
using Xunit;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Index;

/// <summary>
/// An index-guided scan of a crawl kept in S3 (s3rver), its index given with <c>--index</c>: the hits of the local
/// full scan in the selected records, and bytes fetched within the selected records plus the gaps read across.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class S3IndexScanTests(S3rver fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData("url_host_tld = 'de'", "0")]
    [InlineData("url_host_tld = 'de'", "64K")]
    [InlineData("hash(url) % 50 = 3", "16K")]
    public void A_where_scan_of_a_crawl_in_s3_gives_the_local_hits_and_fetches_little_more_than_its_records(string predicate, string maxGap)
    {
        if (fixture.Require(output) is not { } s3) return;
        using var crawl = new IndexCrawl(size: "6M");
        string bucket = "crawl" + Guid.NewGuid().ToString("N")[..8];
        s3.CreateBucket(bucket);
        s3.Upload(bucket, Path.GetFileName(crawl.Warc), crawl.Warc);
        var env = new Dictionary<string, string?>
        {
            ["XDG_CACHE_HOME"] = Path.Combine(crawl.Root, "cache"), ["AWS_ACCESS_KEY_ID"] = S3rver.AccessKey, ["AWS_SECRET_ACCESS_KEY"] = S3rver.SecretKey,
        };

        var local = crawl.Run(["--db", "local.duckdb", "-c", .. crawl.CrawlFlags, "--where", predicate, .. IndexCrawl.Patterns]);
        Assert.True(local.ExitCode == 0, local.Stderr);
        var remote = EndToEnd.Cli.Run(crawl.Root, env, ["--db", "s3.duckdb", "-c", "--stats", "--s3-endpoint", s3.Endpoint, "--crawl", IndexCrawl.Crawl, "--cc-root", $"s3://{bucket}/",
            "--collinfo", crawl.Collinfo, "--index", crawl.IndexFolder, "--where", predicate, "--max-gap", maxGap, .. IndexCrawl.Patterns]);
        Assert.True(remote.ExitCode == 0, remote.Stderr);
        output.WriteLine(remote.Stderr);

        string Db(string name) => Path.Combine(crawl.Root, name);
        static List<string> WithoutFile(List<string> hits) => hits.Select(h => h[(h.IndexOf('|') + 1)..]).ToList();
        Assert.Equal(WithoutFile(IndexCrawl.Hits(Db("local.duckdb"))), WithoutFile(IndexCrawl.Hits(Db("s3.duckdb"))));
        Assert.All(IndexCrawl.Hits(Db("s3.duckdb")), h => Assert.StartsWith($"s3://{bucket}/", h));

        // What the tasks read is the selected records and the gaps coalesced across; the transfer counter says what came over the wire.
        long read = Convert.ToInt64(SqlRunner.Run(Db("s3.duckdb"), "SELECT sum(compressed_bytes)::BIGINT FROM tasks", readOnly: true).Rows[0][0]);
        int records = crawl.Offsets(predicate).Count;
        long selected = crawl.SelectedBytes(predicate);
        long file = new FileInfo(crawl.Warc).Length;
        long gap = maxGap == "0" ? 0 : long.Parse(maxGap.TrimEnd('K')) << 10;
        Assert.InRange(read, selected, Math.Min(file, selected + (records - 1) * gap));
        if (System.Text.RegularExpressions.Regex.Match(remote.Stderr, @"([\d,.]+) ([KMG]?B) (?:downloaded|fetched|transferred)") is { Success: true } m)
            output.WriteLine($"transfer: {m.Value}; selected {selected:N0} bytes of {file:N0}");
    }
}
