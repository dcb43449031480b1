using CrawlGrep.Core.Sources.Remote;
using CrawlGrep.Tests.Conformance;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Remote;

/// <summary>
/// Scans through a proxy that injects faults in front of s3rver: 503 SlowDown bursts, connections reset mid-body at
/// random offsets, bodies truncated short of their length, stalls longer than the read timeout. The hits equal the
/// fault-free run's, and the bytes the server sends stay within a stated bound of what the fault-free run took (a
/// body is resumed from where it broke, never fetched again from the start of its range).
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class FaultToleranceTests(S3rver fixture, ITestOutputHelper output)
{
    /// <summary>
    /// Faulty bodies may cost at most this much over the fault-free run: a tenth more (reads cut at other places end
    /// tasks at other block edges), plus one 256 KiB read in flight per fault (a reset drops data not yet read).
    /// Fetching a broken range again from its start would cost about half the range per fault instead. (Measured:
    /// within 2% of the fault-free bytes under every plan here.)
    /// </summary>
    private static long Bound(long faultFree, int faults) => faultFree + faultFree / 10 + faults * (256L << 10);

    private static readonly RemoteOptions Patient = new() { MaxAttempts = 40, ReadTimeout = TimeSpan.FromMilliseconds(400) };

    private IReadOnlyList<string>? Inputs(S3rver s3)
    {
        var files = RemoteScanTests.Upload(s3);
        // The generated corpora (gzip, zstd, plain; MBs each) and the largest real archives.
        return files.Where(f => f.Key.StartsWith("generated/") || f.Key.EndsWith("warcfile.warc.gz") || f.Key.EndsWith("clueweb-quirk.warc.gz")
                                || f.Key.EndsWith("whirlwind.warc.gz"))
            .Select(f => RemoteScanTests.S3Name(f.Key)).ToList();
    }

    public static IEnumerable<object[]> Faults() =>
    [
        ["resets", new FaultPlan { ResetRate = 0.5, Seed = 1 }],
        ["truncations", new FaultPlan { TruncateRate = 0.5, Seed = 2 }],
        ["503s", new FaultPlan { Fail503Rate = 0.4, Seed = 3 }],
        ["stalls", new FaultPlan { SlowRate = 0.3, SlowDelay = TimeSpan.FromSeconds(2), Seed = 4 }],
        ["all at once", new FaultPlan { ResetRate = 0.2, TruncateRate = 0.2, Fail503Rate = 0.2, SlowRate = 0.1, SlowDelay = TimeSpan.FromSeconds(2), Seed = 5 }],
    ];

    [Theory]
    [MemberData(nameof(Faults))]
    public void Faulty_transfers_give_the_fault_free_hits_and_fetch_little_more(string name, FaultPlan faults)
    {
        if (RealData.Require(output) is null || fixture.Require(output) is not { } s3) return;
        var inputs = Inputs(s3)!;
        using var proxy = new FaultProxy(s3.Endpoint);

        using (var clean = RemoteScan.Resolver(proxy.BaseUrl, Patient))
        {
            var expected = RemoteScan.Run(inputs, clean, split: 400_000);
            long faultFree = proxy.BodyBytesSent;
            Assert.All(inputs, i => Assert.Null(expected.Errors.GetValueOrDefault(i)));

            proxy.Plan = faults;
            proxy.ResetCounters();
            using var faulty = RemoteScan.Resolver(proxy.BaseUrl, Patient);
            var got = RemoteScan.Run(inputs, faulty, split: 400_000);
            foreach (var input in inputs)
            {
                Assert.True(got.Errors.GetValueOrDefault(input) is null, $"{name}: {input}: {got.Errors.GetValueOrDefault(input)}");
                Assert.True(expected.Hits[input].SequenceEqual(got.Hits[input]), $"{name}: {input}: {got.Hits[input].Count} hits, {expected.Hits[input].Count} without faults");
            }
            var c = faulty.Counters;
            output.WriteLine($"{name}: {proxy.Faults} faults in {proxy.Requests} requests; {c.Retries} retried, {c.Resumes} bodies resumed, " +
                             $"{faulty.Pacer.Slowdowns} slowdowns; server sent {proxy.BodyBytesSent:N0} body bytes, {faultFree:N0} without faults " +
                             $"(bound {Bound(faultFree, proxy.Faults):N0}); {got.Tasks} tasks");
            Assert.True(proxy.Faults >= 5, $"{name}: the proxy should have injected faults ({proxy.Faults})");
            Assert.True(proxy.BodyBytesSent <= Bound(faultFree, proxy.Faults),
                $"{name}: {proxy.BodyBytesSent:N0} body bytes sent, over the bound {Bound(faultFree, proxy.Faults):N0} ({faultFree:N0} without faults)");
            if (name == "503s") Assert.True(faulty.Pacer.Slowdowns > 0, "503 SlowDown should slow the scan down");
            if (name is "resets" or "truncations" or "stalls") Assert.True(c.Resumes > 0, $"{name}: bodies should have been resumed mid-way");
        }
    }

    [Fact]
    public void Https_sources_survive_the_same_faults()
    {
        if (RealData.Require(output) is null) return;
        using var server = new RangeFileServer(RemoteScan.Generated);
        using var proxy = new FaultProxy(server.BaseUrl.TrimEnd('/'));
        var inputs = RemoteScan.GeneratedFiles.Select(f => $"{proxy.BaseUrl}/{Path.GetFileName(f)}").ToList();
        using var local = new Core.Sources.SourceResolver();
        var expected = RemoteScan.Run(RemoteScan.GeneratedFiles, local, threads: 1);
        proxy.Plan = new FaultPlan { ResetRate = 0.25, TruncateRate = 0.25, Fail503Rate = 0.2, SlowRate = 0.1, SlowDelay = TimeSpan.FromSeconds(2), Seed = 9 };
        using var sources = RemoteScan.Resolver(null, Patient);
        var got = RemoteScan.Run(inputs, sources, split: 400_000);
        for (int i = 0; i < inputs.Count; i++)
        {
            Assert.True(got.Errors.GetValueOrDefault(inputs[i]) is null, $"{inputs[i]}: {got.Errors.GetValueOrDefault(inputs[i])}");
            Assert.True(expected.Hits[RemoteScan.GeneratedFiles[i]].SequenceEqual(got.Hits[inputs[i]]), inputs[i]);
        }
        output.WriteLine($"{proxy.Faults} faults in {proxy.Requests} requests; {sources.Counters.Resumes} bodies resumed, {sources.Counters.Retries} retried");
        Assert.True(proxy.Faults >= 5 && sources.Counters.Resumes > 0, $"{proxy.Faults} faults, {sources.Counters.Resumes} resumes");
    }

    [Fact]
    public void A_retry_after_from_the_server_holds_back_every_request_of_the_scan()
    {
        if (RealData.Require(output) is null) return;
        using var server = new RangeFileServer(RemoteScan.Generated);
        using var proxy = new FaultProxy(server.BaseUrl.TrimEnd('/'), new FaultPlan { Fail503First = 1, RetryAfterSeconds = 3 });
        var inputs = RemoteScan.GeneratedFiles.Select(f => $"{proxy.BaseUrl}/{Path.GetFileName(f)}").ToList();
        using var sources = RemoteScan.Resolver(null, Patient); // its own backoff is a few ms
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var got = RemoteScan.Run(inputs, sources, split: 400_000);
        Assert.All(inputs, i => Assert.Null(got.Errors.GetValueOrDefault(i)));
        Assert.Equal(1, proxy.Faults);
        // The one 503 said "Retry-After: 3": the scan waited those seconds, not its own few milliseconds (it takes under 1 s).
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(2900), $"the scan took {clock.Elapsed}");
    }

    [Fact]
    public void A_burst_of_slowdowns_slows_the_whole_scan_and_then_passes()
    {
        if (RealData.Require(output) is null || fixture.Require(output) is not { } s3) return;
        var inputs = Inputs(s3)!;
        using var proxy = new FaultProxy(s3.Endpoint, new FaultPlan { Fail503First = 15 });
        using var sources = RemoteScan.Resolver(proxy.BaseUrl, Patient);
        var got = RemoteScan.Run(inputs, sources, split: 400_000);
        using var direct = RemoteScan.Resolver(s3.Endpoint);
        var expected = RemoteScan.Run(inputs, direct, split: 400_000);
        foreach (var input in inputs) Assert.True(expected.Hits[input].SequenceEqual(got.Hits[input]), input);
        Assert.Equal(15, proxy.Faults);
        Assert.True(sources.Counters.Retries >= 15, $"{sources.Counters.Retries} retries");
        Assert.True(sources.Pacer.Slowdowns >= 1, "the pacer should have slowed the scan down");
        output.WriteLine($"{sources.Pacer.Slowdowns} slowdowns, {sources.Counters.Retries} retries; spacing now {sources.Pacer.Spacing.TotalMilliseconds} ms");
    }
}
