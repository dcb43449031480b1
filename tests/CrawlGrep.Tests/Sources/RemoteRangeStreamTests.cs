using CrawlGrep.Core.Sources.Remote;

namespace CrawlGrep.Tests.Sources;

/// <summary>The resumable remote stream against a scripted store: where it asks again, what it insists on, when it gives up.</summary>
public sealed class RemoteRangeStreamTests
{
    private static readonly byte[] Data = Enumerable.Range(0, 3_000_000).Select(i => (byte)(i * 31 + (i >> 9))).ToArray();

    private static readonly RemoteOptions Fast = new()
    {
        MaxAttempts = 4, RetryBaseDelay = TimeSpan.Zero, RetryMaxDelay = TimeSpan.Zero, ReadTimeout = TimeSpan.FromMilliseconds(300), RangeSlack = 1000,
    };

    /// <summary>A store whose GETs follow a script: each entry says what the n-th GET does.</summary>
    private sealed class ScriptedStore(params Func<long, long, Stream?>[] script) : IObjectClient
    {
        public readonly List<(long Start, long End, string? ETag)> Gets = new();

        public ObjectInfo Head(CancellationToken ct) => new(Data.Length, "\"v1\"");

        public RangeBody Get(long start, long end, string? etag, CancellationToken ct)
        {
            Gets.Add((start, end, etag));
            var step = Gets.Count <= script.Length ? script[Gets.Count - 1] : (s, e) => new MemoryStream(Data, (int)s, (int)(e - s));
            return new RangeBody(step(start, end) ?? throw RemoteException.FromStatus(503, "SlowDown"), "\"v1\"");
        }
    }

    /// <summary>A body that gives <paramref name="cut"/> bytes of the range, then fails as a reset connection does.</summary>
    private static Func<long, long, Stream?> BreaksAfter(int cut) => (s, e) => new BrokenStream(Data.AsMemory((int)s, (int)Math.Min(cut, e - s)).ToArray());

    private sealed class BrokenStream(byte[] head) : MemoryStream(head)
    {
        public override int Read(byte[] buffer, int offset, int count) => Position == Length ? throw new IOException("Connection reset by peer") : base.Read(buffer, offset, count);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => Task.FromResult(Read(buffer, offset, count));
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) =>
            Position == Length ? ValueTask.FromException<int>(new IOException("Connection reset by peer")) : base.ReadAsync(buffer, ct);
    }

    private static byte[] ReadAll(Stream s)
    {
        var copy = new MemoryStream();
        s.CopyTo(copy, 70_000);
        return copy.ToArray();
    }

    [Fact]
    public void A_body_cut_mid_way_is_asked_for_again_from_the_byte_it_stopped_at_with_the_same_version()
    {
        var store = new ScriptedStore(BreaksAfter(123_457), BreaksAfter(1), (s, e) => null, BreaksAfter(900_000));
        var counters = new TransferCounters();
        using var s = new RemoteRangeStream(store, 1000, Data.Length, Data.Length, "\"v1\"", Fast, new RequestPacer(), counters);
        Assert.Equal(Data[1000..], ReadAll(s));
        Assert.Equal((1000L, Data.Length, "\"v1\""), store.Gets[0]);
        Assert.Equal(1000 + 123_457, store.Gets[1].Start);
        Assert.Equal(1000 + 123_457 + 1, store.Gets[2].Start); // a 503: asked again from the same byte
        Assert.Equal(store.Gets[2].Start, store.Gets[3].Start);
        Assert.All(store.Gets, g => Assert.Equal("\"v1\"", g.ETag));
        Assert.Equal(Data.Length - 1000, counters.BytesFetched); // not a byte twice
        Assert.Equal(3, counters.Resumes);
        Assert.Equal(1, counters.Retries);
    }

    [Fact]
    public void The_first_request_covers_the_expected_range_and_reading_on_asks_for_doubling_segments()
    {
        var store = new ScriptedStore();
        using var s = new RemoteRangeStream(store, 0, Data.Length, 50_000, null, Fast, new RequestPacer(), new TransferCounters());
        Assert.Equal(Data, ReadAll(s));
        Assert.Equal((0L, 51_000L), (store.Gets[0].Start, store.Gets[0].End)); // expected end plus the slack
        Assert.Equal((51_000L, 51_000L + (1 << 20)), (store.Gets[1].Start, store.Gets[1].End));
        Assert.Equal((51_000L + (1 << 20), (long)Data.Length), (store.Gets[2].Start, store.Gets[2].End)); // 2 MiB, cut at the end
        Assert.Equal(3, store.Gets.Count);
        Assert.Equal("\"v1\"", store.Gets[1].ETag); // learnt from the first response
    }

    [Fact]
    public void Failures_without_progress_end_the_read_and_a_changed_object_ends_it_at_once()
    {
        var failing = new ScriptedStore(BreaksAfter(10_000), (s, e) => null, (s, e) => null, (s, e) => null, (s, e) => null);
        using (var s = new RemoteRangeStream(failing, 0, Data.Length, Data.Length, null, Fast, new RequestPacer(), new TransferCounters()))
        {
            var buffer = new byte[4096];
            var e = Assert.Throws<IOException>(() => { while (s.Read(buffer) > 0) { } });
            Assert.Contains("503 SlowDown, 4 tries in a row", e.Message);
            // The body that broke after 10,000 bytes, then three 503s: four failures in a row without a byte between them.
            Assert.Equal(4, failing.Gets.Count);
        }
        var changed = new ScriptedStore(BreaksAfter(5), (s, e) => throw RemoteException.FromStatus(412));
        using (var s = new RemoteRangeStream(changed, 0, Data.Length, Data.Length, "\"v1\"", Fast, new RequestPacer(), new TransferCounters()))
        {
            var e = Assert.Throws<IOException>(() => ReadAll(s));
            Assert.Contains("the object changed during the scan", e.Message);
            Assert.Equal(2, changed.Gets.Count);
        }
    }

    [Fact]
    public void A_body_that_stalls_past_the_read_timeout_is_dropped_and_resumed()
    {
        var store = new ScriptedStore((s, e) => new StallingStream(Data.AsMemory((int)s, 40_000).ToArray()));
        var counters = new TransferCounters();
        using var s = new RemoteRangeStream(store, 0, Data.Length, Data.Length, null, Fast, new RequestPacer(), counters);
        Assert.Equal(Data, ReadAll(s));
        Assert.Equal(40_000, store.Gets[1].Start);
        Assert.Equal(1, counters.Resumes);
    }

    /// <summary>Gives its bytes, then waits for ever (until the read is cancelled).</summary>
    private sealed class StallingStream(byte[] head) : MemoryStream(head)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            if (Position < Length) return await base.ReadAsync(buffer, ct);
            await Task.Delay(Timeout.Infinite, ct);
            return 0;
        }
    }

    [Fact]
    public void Stopping_the_scan_ends_a_read_that_waits_to_retry_at_once()
    {
        var store = new ScriptedStore(Enumerable.Repeat<Func<long, long, Stream?>>((s, e) => null, 50).ToArray());
        var pacer = new RequestPacer();
        var slow = Fast with { MaxAttempts = 50, RetryBaseDelay = TimeSpan.FromSeconds(30), RetryMaxDelay = TimeSpan.FromSeconds(30) };
        using var s = new RemoteRangeStream(store, 0, Data.Length, Data.Length, null, slow, pacer, new TransferCounters());
        var clock = System.Diagnostics.Stopwatch.StartNew();
        _ = Task.Delay(300).ContinueWith(_ => pacer.Stop());
        var e = Assert.Throws<IOException>(() => s.Read(new byte[100]));
        Assert.Equal("the scan was stopped", e.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"stopped after {clock.Elapsed}");
    }

    [Fact]
    public void The_pacer_slows_the_scan_at_once_when_pushed_back_and_speeds_up_gently()
    {
        var pacer = new RequestPacer();
        Assert.Equal(TimeSpan.Zero, pacer.Spacing);
        pacer.OnThrottled();
        Assert.Equal(TimeSpan.FromMilliseconds(50), pacer.Spacing);
        Thread.Sleep(60);
        pacer.OnThrottled();
        Assert.Equal(TimeSpan.FromMilliseconds(100), pacer.Spacing);
        Assert.Equal(2, pacer.Slowdowns);
        // One push-back seen by many workers at once slows the scan about once, not once per worker.
        Thread.Sleep(110);
        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 16 }, _ => pacer.OnThrottled());
        Assert.InRange(pacer.Slowdowns, 3, 6);
        var before = pacer.Spacing;
        pacer.OnSuccess();
        Assert.Equal(before.Ticks * 9 / 10, pacer.Spacing.Ticks); // each success: a tenth faster
        for (int i = 0; i < 60; i++) pacer.OnSuccess();
        Assert.Equal(TimeSpan.Zero, pacer.Spacing);

        // Requests start at least the spacing apart, across threads.
        pacer.OnThrottled();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Parallel.For(0, 6, _ => pacer.WaitTurn(CancellationToken.None));
        Assert.True(clock.ElapsedMilliseconds >= 5 * 50 - 20, $"{clock.ElapsedMilliseconds} ms for 6 requests 50 ms apart");
    }

    [Fact]
    public void A_retry_after_holds_back_the_next_request_of_every_worker()
    {
        var pacer = new RequestPacer();
        var clock = System.Diagnostics.Stopwatch.StartNew(); // before the push-back: a pause between the two lines is not the pacer's
        pacer.OnThrottled(TimeSpan.FromMilliseconds(400));
        Parallel.For(0, 3, _ => pacer.WaitTurn(CancellationToken.None));
        Assert.True(clock.ElapsedMilliseconds >= 380, $"{clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void Backoff_is_jittered_below_a_doubling_cap()
    {
        var retry = new RetryPolicy(new RemoteOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(100), RetryMaxDelay = TimeSpan.FromSeconds(1) });
        for (int k = 0; k < 8; k++)
        {
            var delays = Enumerable.Range(0, 200).Select(_ => retry.Delay(k).TotalMilliseconds).ToList();
            double cap = Math.Min(1000, 100 * Math.Pow(2, k));
            Assert.All(delays, d => Assert.InRange(d, 0, cap));
            Assert.True(delays.Max() > cap * 0.8 && delays.Min() < cap * 0.2, $"try {k}: delays should spread over [0, {cap}]");
        }
    }
}
