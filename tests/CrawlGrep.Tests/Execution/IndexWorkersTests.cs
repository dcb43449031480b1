using System.Collections.Concurrent;
using CrawlGrep.Core.Execution;

namespace CrawlGrep.Tests.Execution;

public sealed class IndexWorkersTests
{
    [Theory]
    [InlineData(0, 4)]
    [InlineData(1, 4)]
    [InlineData(1000, 1)]
    [InlineData(1000, 3)]
    public void Every_index_is_run_once_each_state_made_and_ended_once(int count, int threads)
    {
        var runs = new int[count];
        var states = new ConcurrentBag<List<int>>();
        var ended = new ConcurrentBag<List<int>>();
        IndexWorkers.Run(count, threads, () => { var s = new List<int>(); states.Add(s); return s; },
            (i, s) => { Interlocked.Increment(ref runs[i]); s.Add(i); }, s => ended.Add(s));

        Assert.All(runs, n => Assert.Equal(1, n));
        Assert.True(states.Count <= Math.Max(1, Math.Min(count, threads)));
        Assert.Equal(states.Count, ended.Count);
        if (count == 0) Assert.Empty(states);
        foreach (var s in states) Assert.Equal(s.Order(), s); // each thread takes indices in order
        Assert.Equal(count, states.Sum(s => s.Count));
    }

    [Fact]
    public void A_body_that_throws_stops_the_handing_out_and_its_exception_reaches_the_caller_once_all_threads_end()
    {
        int started = 0, ended = 0;
        var e = Assert.Throws<AggregateException>(() => IndexWorkers.Run(10_000, 2, () => 0,
            (i, _) =>
            {
                Interlocked.Increment(ref started);
                if (i == 0) throw new IOException("output closed"); // the first index taken: a thread throws at once
                Thread.Sleep(1); // the others take a while each: all 10,000 would take 10 s or more
            },
            _ => Interlocked.Increment(ref ended)));

        Assert.IsType<IOException>(Assert.Single(e.InnerExceptions));
        Assert.True(started < 5_000, $"{started} bodies ran");
        Assert.Equal(2, ended); // both threads' states ended before Run returned
    }
}
