using CrawlGrep.Core.Sources;

namespace CrawlGrep.Tests.Sources;

public sealed class PrefetchStreamTests
{
    [Fact]
    public void Gives_the_inner_bytes_in_order_whatever_the_read_sizes()
    {
        var rng = new Random(3);
        for (int round = 0; round < 30; round++)
        {
            var data = new byte[rng.Next(0, 300_000)];
            rng.NextBytes(data);
            using var s = new PrefetchStream(new TrickleStream(data, rng.Next(1, 5000)), blockSize: rng.Next(1, 70_000), depth: rng.Next(1, 4));
            var copy = new MemoryStream();
            var buf = new byte[rng.Next(1, 100_000)];
            int n;
            while ((n = s.Read(buf, 0, rng.Next(1, buf.Length + 1))) > 0) copy.Write(buf, 0, n);
            Assert.Equal(data, copy.ToArray());
            Assert.Equal(0, s.Read(buf));
        }
    }

    [Fact]
    public void Reads_ahead_no_further_than_its_limit_and_hands_the_rest_to_the_reader()
    {
        var data = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7)).ToArray();
        var inner = new TrickleStream(data, 3000);
        using var s = new PrefetchStream(inner, blockSize: 8192, depth: 8, aheadLimit: 50_000); // room for more than the limit
        var buf = new byte[1000];
        Assert.Equal(1000, s.ReadAtLeast(buf, 1000));
        // Time for the read-ahead to run as far as it may (and a little more, to see it stop there).
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (inner.Consumed < 50_000 && clock.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(10);
        Thread.Sleep(100);
        Assert.Equal(50_000, inner.Consumed); // not a byte past the limit on its own
        var copy = new MemoryStream();
        copy.Write(buf, 0, 1000);
        int n;
        while ((n = s.Read(buf)) > 0) copy.Write(buf, 0, n);
        Assert.Equal(data, copy.ToArray()); // the rest still comes, read on demand
    }

    [Fact]
    public void A_read_error_comes_after_the_bytes_read_before_it()
    {
        var data = Enumerable.Range(0, 50_000).Select(i => (byte)i).ToArray();
        using var s = new PrefetchStream(new TrickleStream(data, 1000, failAt: 30_000), blockSize: 4096, depth: 2);
        var copy = new MemoryStream();
        var buf = new byte[777];
        var e = Assert.Throws<IOException>(() => { int n; while ((n = s.Read(buf)) > 0) copy.Write(buf, 0, n); });
        Assert.Contains("connection reset", e.Message);
        Assert.Equal(data[..30_000], copy.ToArray());
    }

    [Fact]
    public async Task Disposing_before_the_end_stops_the_read_ahead()
    {
        var data = new byte[10 << 20];
        var s = new PrefetchStream(new TrickleStream(data, 65536), blockSize: 65536, depth: 2);
        s.ReadExactly(new byte[100]);
        await Task.Run(s.Dispose).WaitAsync(TimeSpan.FromSeconds(10)); // a hung dispose times out
    }

    /// <summary>Gives at most <c>chunk</c> bytes per read; throws a connection reset at <c>failAt</c>.</summary>
    private sealed class TrickleStream(byte[] data, int chunk, int failAt = -1) : ForwardReadStream
    {
        private int _pos;

        public int Consumed => Volatile.Read(ref _pos);

        public override int Read(Span<byte> buffer)
        {
            if (_pos == failAt) throw new IOException("connection reset by peer");
            int limit = failAt >= 0 ? failAt : data.Length;
            int n = Math.Min(Math.Min(buffer.Length, chunk), limit - _pos);
            data.AsSpan(_pos, n).CopyTo(buffer);
            _pos += n;
            return n;
        }
    }
}
