using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace CrawlGrep.Core.Execution;

/// <summary>
/// The one thread that commits the tasks run here, off the scanning threads: each finished task is handed over
/// through a bounded channel, so a scanner that gets ahead of the database waits (back-pressure) instead of piling
/// up finished tasks in memory.
/// </summary>
internal sealed class TaskCommitQueue
{
    /// <summary>Finished tasks that may wait for the writer: each holds a segment of its hits in memory, the rest on disk.</summary>
    public const int DefaultCapacity = 2;

    private readonly Channel<Action> _channel;
    private readonly Thread _thread;
    private ExceptionDispatchInfo? _failure;

    public TaskCommitQueue(int capacity = DefaultCapacity)
    {
        _channel = Channel.CreateBounded<Action>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _thread = new Thread(Run) { IsBackground = true, Name = "crawlgrep commit" };
        _thread.Start();
    }

    /// <summary>Hands <paramref name="commit"/> to the writer; waits while the channel is full.</summary>
    public void Post(Action commit)
    {
        var writer = _channel.Writer;
        while (!writer.TryWrite(commit))
            if (!writer.WaitToWriteAsync().AsTask().GetAwaiter().GetResult())
                throw new InvalidOperationException("the commit queue is closed");
    }

    /// <summary>Waits until every task handed over is committed; rethrows the first failure the writer met.</summary>
    public void Drain()
    {
        _channel.Writer.TryComplete();
        _thread.Join();
        _failure?.Throw();
    }

    private void Run()
    {
        var reader = _channel.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (reader.TryRead(out var commit))
            {
                try { commit(); }
                catch (Exception e) { _failure ??= ExceptionDispatchInfo.Capture(e); }
            }
        }
    }
}
