using CrawlGrep.Core.Execution;

namespace CrawlGrep.Tests.Execution;

/// <summary>The writer thread of finished tasks: in order, bounded (a scanner ahead of it waits), failures kept for the end.</summary>
public sealed class TaskCommitQueueTests
{
    [Fact]
    public void A_scanner_waits_while_the_writer_is_behind_and_commits_run_in_order()
    {
        var queue = new TaskCommitQueue(capacity: 1);
        using var release = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        var done = new List<int>();
        queue.Post(() => { started.Set(); release.Wait(); lock (done) done.Add(0); }); // the writer is busy with this one
        Assert.True(started.Wait(30_000));
        queue.Post(() => { lock (done) done.Add(1); });                  // waits in the queue
        var third = Task.Run(() => queue.Post(() => { lock (done) done.Add(2); }));
        Assert.False(third.Wait(300)); // the queue is full: the third scanner waits
        release.Set();
        Assert.True(third.Wait(30_000));
        queue.Drain();
        Assert.Equal([0, 1, 2], done);
    }

    [Fact]
    public void A_failed_commit_does_not_stop_the_others_and_is_thrown_at_the_end()
    {
        var queue = new TaskCommitQueue();
        int ran = 0;
        queue.Post(() => throw new IOException("gone"));
        queue.Post(() => Interlocked.Increment(ref ran));
        Assert.Equal("gone", Assert.Throws<IOException>(queue.Drain).Message);
        Assert.Equal(1, ran);
    }
}
