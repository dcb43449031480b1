namespace CrawlGrep.Core.Jobs;

/// <summary>
/// Who runs a job now: an exclusive lock on a file beside the job's database (flock on Unix, which the kernel drops
/// when its holder dies, however it dies). So two ticks started together run a job once, and a crashed tick never
/// keeps a job from running again.
/// </summary>
public sealed class JobLock : IDisposable
{
    private readonly FileStream _file;

    private JobLock(FileStream file, string path)
    {
        _file = file;
        Path = path;
    }

    public string Path { get; }

    /// <summary>The lock file of <paramref name="job"/> recorded in <paramref name="database"/>.</summary>
    public static string PathFor(string database, string job)
    {
        string full = System.IO.Path.GetFullPath(database);
        return System.IO.Path.Combine(System.IO.Path.GetDirectoryName(full)!, ".crawlgrep-locks", $"{System.IO.Path.GetFileName(full)}.{job}.lock");
    }

    /// <summary>The lock, or null when another process holds it.</summary>
    public static JobLock? TryTake(string database, string job)
    {
        string path = PathFor(database, job);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        try
        {
            var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            // Who holds it, for a person looking at the file; the lock itself is the flock.
            file.SetLength(0);
            var note = System.Text.Encoding.UTF8.GetBytes($"pid {Environment.ProcessId} on {Environment.MachineName} since {DateTime.UtcNow:O}\n");
            file.Write(note);
            file.Flush();
            return new JobLock(file, path);
        }
        catch (IOException) { return null; }
    }

    /// <summary>Whether a process holds the lock now (without taking it).</summary>
    public static bool IsHeld(string database, string job)
    {
        string path = PathFor(database, job);
        if (!File.Exists(path)) return false;
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return false;
        }
        catch (FileNotFoundException) { return false; }
        catch (IOException) { return true; }
    }

    public void Dispose() => _file.Dispose();
}
