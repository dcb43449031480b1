using CrawlGrep.Core.Sources;
using CrawlGrep.Tests.Conformance;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Remote;

/// <summary>
/// Scans through s3:// (s3rver, with --s3-endpoint) and http:// (a server with Range support) give exactly the hits
/// of the local scan of the same bytes: every real archive and generated gzip, zstd and plain corpora, whole and cut
/// into ranges.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class RemoteScanTests(S3rver fixture, ITestOutputHelper output)
{
    private const string Bucket = "archives";

    /// <summary>Uploads the real archives (under real/) and the generated ones (under generated/), once per server.</summary>
    internal static IReadOnlyList<(string Local, string Key)> Upload(S3rver s3)
    {
        lock (Uploaded)
        {
            var files = RemoteScan.RealArchives().Select(f => (RealData.PathOf(f), "real/" + f))
                .Concat(RemoteScan.GeneratedFiles.Select(f => (f, "generated/" + Path.GetFileName(f)))).ToList();
            if (Uploaded.Add(s3))
            {
                s3.CreateBucket(Bucket);
                foreach (var (local, key) in files) s3.Upload(Bucket, key, local);
            }
            return files;
        }
    }

    private static readonly HashSet<S3rver> Uploaded = new();

    public static string S3Name(string key) => $"s3://{Bucket}/{key}";

    [Fact]
    public void S3_scans_give_the_hits_of_local_scans_whole_and_in_ranges()
    {
        if (RealData.Require(output) is null || fixture.Require(output) is not { } s3) return;
        var files = Upload(s3);
        using var local = new SourceResolver();
        using var remote = RemoteScan.Resolver(s3.Endpoint);
        var localInputs = files.Select(f => f.Local).ToList();
        var remoteInputs = files.Select(f => S3Name(f.Key)).ToList();
        var expected = RemoteScan.Run(localInputs, local, threads: 1);
        Assert.True(expected.Hits.Values.Sum(h => h.Count) > 1000, "the inputs should give plenty of hits");

        foreach (long? split in new long?[] { null, 7_000, 300_000 })
        {
            var got = RemoteScan.Run(remoteInputs, remote, split);
            int compared = 0;
            foreach (var (localFile, key) in files)
            {
                Assert.True(got.Errors.GetValueOrDefault(S3Name(key)) is null, $"{key}: {got.Errors.GetValueOrDefault(S3Name(key))}");
                Assert.True(expected.Hits[localFile].SequenceEqual(got.Hits[S3Name(key)]),
                    $"{key}, split {split?.ToString() ?? "none"}: {got.Hits[S3Name(key)].Count} hits through S3, {expected.Hits[localFile].Count} locally");
                compared += expected.Hits[localFile].Count;
            }
            output.WriteLine($"split {split?.ToString() ?? "none"}: {got.Tasks} tasks, {compared} hits equal over {files.Count} files; " +
                             $"{remote.Counters.Requests} requests so far");
            if (split == 7_000) Assert.True(got.Tasks > files.Count * 2, "small ranges should cut the files into many tasks");
        }
    }

    [Fact]
    public void Https_sources_read_with_range_requests_give_the_hits_of_local_scans()
    {
        string? root = RealData.Require(output);
        if (root is null) return;
        using var realServer = new RangeFileServer(root);
        using var generatedServer = new RangeFileServer(RemoteScan.Generated);
        var files = RemoteScan.RealArchives().Select(f => (Local: RealData.PathOf(f), Url: realServer.UrlOf(f)))
            .Concat(RemoteScan.GeneratedFiles.Select(f => (Local: f, Url: generatedServer.UrlOf(Path.GetFileName(f))))).ToList();
        using var local = new SourceResolver();
        using var remote = RemoteScan.Resolver(null);
        var expected = RemoteScan.Run(files.Select(f => f.Local).ToList(), local, threads: 1);
        foreach (long? split in new long?[] { null, 9_000 })
        {
            var got = RemoteScan.Run(files.Select(f => f.Url).ToList(), remote, split);
            foreach (var (localFile, url) in files)
            {
                Assert.True(got.Errors.GetValueOrDefault(url) is null, $"{url}: {got.Errors.GetValueOrDefault(url)}");
                Assert.True(expected.Hits[localFile].SequenceEqual(got.Hits[url]), $"{url}, split {split}: {got.Hits[url].Count} hits over HTTP, {expected.Hits[localFile].Count} locally");
            }
        }
        Assert.True(realServer.Requests + generatedServer.Requests > files.Count, "the files should have been read over HTTP");
    }

    [Fact]
    public void An_s3_prefix_scans_every_archive_listed_under_it()
    {
        if (RealData.Require(output) is null || fixture.Require(output) is not { } s3) return;
        Upload(s3);
        using var tmp = new EndToEnd.TempDir();
        var env = new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = S3rver.AccessKey, ["AWS_SECRET_ACCESS_KEY"] = S3rver.SecretKey };
        var listed = EndToEnd.Cli.Run(tmp.Path, env, "--no-db", "-c", "--stats", "--s3-endpoint", s3.Endpoint, "-i", "the", $"s3://{Bucket}/generated/");
        Assert.True(listed.ExitCode == 0, listed.Stderr);
        var local = EndToEnd.Cli.Run(tmp.Path, ["--no-db", "-c", "-i", "the", .. RemoteScan.GeneratedFiles]);
        Assert.Equal(local.Lines.Select(l => S3Name("generated/" + Path.GetFileName(l[..l.LastIndexOf(':')])) + l[l.LastIndexOf(':')..]), listed.Lines);
        // Sizes come from the listing, and files too small to be cut are not probed: one LIST, then one GET per file.
        var requests = System.Text.RegularExpressions.Regex.Match(listed.Stderr, @"(\d+) requests, ([0-9.]+) MiB fetched");
        Assert.True(requests.Success, listed.Stderr);
        Assert.Equal(1 + RemoteScan.GeneratedFiles.Count, int.Parse(requests.Groups[1].Value));
        double size = RemoteScan.GeneratedFiles.Sum(f => new FileInfo(f).Length) / 1048576.0;
        Assert.InRange(double.Parse(requests.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), size * 0.99, size * 1.01); // each byte once
    }
}
