using System.Collections.Concurrent;

namespace CrawlGrep.Core.Execution;

/// <summary>
/// Runs a body for each index of [0, count) on up to a number of threads, the calling one among them, each thread
/// taking the next index in order: what <c>Parallel.For</c> does here, without its generic machinery (instantiations
/// over the framework's types that a framework-dependent build compiles on every start, and an event source). An
/// exception stops the handing out of indices; the ones thrown are rethrown together once every thread is done.
/// </summary>
public static class IndexWorkers
{
    public static void Run(int count, int threads, Action<int> body) => Run(count, threads, static () => 0, (i, _) => body(i));

    /// <summary>As <see cref="Run(int, int, Action{int})"/>, with a state each thread makes once and ends with.</summary>
    public static void Run<TState>(int count, int threads, Func<TState> init, Action<int, TState> body, Action<TState>? done = null)
    {
        if (count <= 0) return;
        int next = -1, failed = 0;
        var errors = new ConcurrentQueue<Exception>();

        void Work()
        {
            try
            {
                var state = init();
                try
                {
                    for (int i; Volatile.Read(ref failed) == 0 && (i = Interlocked.Increment(ref next)) < count;) body(i, state);
                }
                finally { done?.Invoke(state); }
            }
            catch (Exception e)
            {
                errors.Enqueue(e);
                Volatile.Write(ref failed, 1);
            }
        }

        var helpers = new Thread[Math.Clamp(threads, 1, count) - 1];
        for (int t = 0; t < helpers.Length; t++)
        {
            helpers[t] = new Thread(Work) { IsBackground = true, Name = "crawlgrep worker" };
            helpers[t].Start();
        }
        Work();
        foreach (var helper in helpers) helper.Join();
        if (!errors.IsEmpty) throw new AggregateException(errors);
    }
}
