using System.Runtime.ExceptionServices;

namespace CrawlGrep.Core.Execution;

/// <summary>
/// The one thread that commits the tasks run here, off the scanning threads: each finished task is handed over
/// through a bounded queue, so a scanner that gets ahead of the database waits (back-pressure) instead of piling
/// up finished tasks in memory.
/// </summary>
/// <remarks>
/// The two sides meet on a monitor, not on a channel's awaitable waits: a scanner blocked on a full channel is woken
/// through a thread-pool continuation, and the scanners are themselves pool threads blocked in reads, so on a busy
/// machine a stop (Ctrl-C) could wait for the pool to grow before the scan wound down.
/// </remarks>
internal sealed class TaskCommitQueue
{
    /// <summary>Finished tasks that may wait for the writer: each holds a segment of its hits in memory, the rest on disk.</summary>
    public const int DefaultCapacity = 2;

    private readonly int _capacity;
    private readonly Queue<Action> _queue;
    private readonly Thread _thread;
    private bool _closed; // under _queue: no more commits come
    private ExceptionDispatchInfo? _failure;

    public TaskCommitQueue(int capacity = DefaultCapacity)
    {
        _capacity = Math.Max(1, capacity);
        _queue = new Queue<Action>(_capacity);
        _thread = new Thread(Run) { IsBackground = true, Name = "crawlgrep commit" };
        _thread.Start();
    }

    /// <summary>Hands <paramref name="commit"/> to the writer; waits while the queue is full.</summary>
    public void Post(Action commit)
    {
        lock (_queue)
        {
            while (_queue.Count >= _capacity && !_closed) Monitor.Wait(_queue);
            if (_closed) throw new InvalidOperationException("the commit queue is closed");
            _queue.Enqueue(commit);
            Monitor.PulseAll(_queue);
        }
    }

    /// <summary>Waits until every task handed over is committed; rethrows the first failure the writer met.</summary>
    public void Drain()
    {
        lock (_queue)
        {
            _closed = true;
            Monitor.PulseAll(_queue);
        }
        _thread.Join();
        _failure?.Throw();
    }

    private void Run()
    {
        while (true)
        {
            Action commit;
            lock (_queue)
            {
                while (_queue.Count == 0 && !_closed) Monitor.Wait(_queue);
                if (_queue.Count == 0) return; // closed, and everything handed over is committed
                commit = _queue.Dequeue();
                Monitor.PulseAll(_queue); // a scanner waiting for room
            }
            try { commit(); }
            catch (Exception e) { _failure ??= ExceptionDispatchInfo.Capture(e); }
        }
    }
}
