using System.ComponentModel;
using System.Runtime.InteropServices;

namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// POSIX signals .NET's Process does not send: SIGSTOP, to freeze a worker the way a hung one looks, and SIGCONT, to
/// let it run again.
/// </summary>
internal static partial class ProcessSignals
{
    public const int SigCont = 18;
    public const int SigStop = 19;

    public static void Send(int pid, int signal)
    {
        if (Kill(pid, signal) != 0) throw new Win32Exception(Marshal.GetLastPInvokeError(), $"kill({pid}, {signal}) failed");
    }

    /// <summary>Sends a signal; false when the process is gone (or was never ours to signal).</summary>
    public static bool TrySend(int pid, int signal) => Kill(pid, signal) == 0;

    /// <summary>Whether a process of that id still exists and is not a zombie (dead, waiting to be reaped by someone else).</summary>
    public static bool IsRunning(int pid)
    {
        string status;
        try { status = File.ReadAllText($"/proc/{pid}/status"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
        string? state = status.Split('\n').FirstOrDefault(l => l.StartsWith("State:", StringComparison.Ordinal));
        return state is not null && !state.Contains("zombie", StringComparison.Ordinal) && !state.Contains("dead", StringComparison.Ordinal);
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
