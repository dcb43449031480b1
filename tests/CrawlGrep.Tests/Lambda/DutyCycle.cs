using System.Diagnostics;

namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// Runs a process tree at a fraction of its speed: it lets the tree run for a slice of about 1/factor of a period,
/// stops it (SIGSTOP) for the rest, and so on until a task ends, then lets it run freely (SIGCONT). Each pause is
/// sized from the slice the tree really ran, so timer lateness does not change the share it gets.
/// </summary>
internal static class DutyCycle
{
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);

    public static async Task RunAsync(int root, double factor, Task until)
    {
        if (factor <= 1) return;
        var slice = Period / factor;
        try
        {
            while (!until.IsCompleted)
            {
                long runFrom = Stopwatch.GetTimestamp();
                await Task.WhenAny(Task.Delay(slice), until);
                if (until.IsCompleted) break;
                var tree = ProcessTree.Of(root);
                foreach (int pid in tree) ProcessSignals.TrySend(pid, ProcessSignals.SigStop);
                var ran = Stopwatch.GetElapsedTime(runFrom);
                await Task.WhenAny(Task.Delay(ran * (factor - 1)), until);
                foreach (int pid in tree) ProcessSignals.TrySend(pid, ProcessSignals.SigCont);
            }
        }
        finally
        {
            // Whatever ended the wait, nothing of the tree stays stopped: the worker serves its next invocation at full speed.
            foreach (int pid in ProcessTree.Of(root)) ProcessSignals.TrySend(pid, ProcessSignals.SigCont);
        }
    }
}
