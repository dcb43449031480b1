using System.Diagnostics;
using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Cli.Output;

/// <summary>
/// One self-overwriting status line on stderr (bytes, records, hits, MB/s, ETA), shown only when
/// stderr is a terminal and the scan lasts longer than a moment.
/// </summary>
public sealed class ProgressDisplay : IDisposable
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);
    private readonly ScanProgress _progress;
    private readonly long _totalBytes;
    private readonly TextWriter _err;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Timer _timer;
    private readonly Lock _lock = new();
    private bool _shown, _stopped;

    public ProgressDisplay(ScanProgress progress, long totalBytes, TextWriter err)
    {
        _progress = progress;
        _totalBytes = totalBytes;
        _err = err;
        _timer = new Timer(_ => Draw(), null, Delay, TimeSpan.FromMilliseconds(250));
    }

    private void Draw()
    {
        lock (_lock)
        {
            if (_stopped) return;
            double secs = _clock.Elapsed.TotalSeconds;
            long bytes = _progress.CompressedBytes;
            double rate = bytes / Math.Max(secs, 1e-3);
            string eta = rate > 0 && _totalBytes > bytes ? $"  ETA {TimeSpan.FromSeconds((_totalBytes - bytes) / rate):mm\\:ss}" : "";
            string pct = _totalBytes > 0 ? $" ({100.0 * bytes / _totalBytes:0}%)" : "";
            _err.Write($"\r\e[2K{Size(bytes)}/{Size(_totalBytes)}{pct}  {_progress.Records:N0} records  {_progress.Hits:N0} hits  {rate / 1e6:0.0} MB/s{eta}");
            _err.Flush();
            _shown = true;
        }
    }

    public static string Size(long b) => b switch
    {
        >= 1L << 30 => $"{b / (double)(1L << 30):0.0} GiB",
        >= 1L << 20 => $"{b / (double)(1L << 20):0.0} MiB",
        >= 1L << 10 => $"{b / 1024.0:0.0} KiB",
        _ => $"{b} B",
    };

    /// <summary>Takes the line off the screen so a warning can be written; the next tick draws it again.</summary>
    public void ClearLine()
    {
        lock (_lock)
        {
            if (!_shown) return;
            _err.Write("\r\e[2K");
            _shown = false;
        }
    }

    /// <summary>Removes the line before results or warnings that must stay on screen are written.</summary>
    public void Dispose()
    {
        _timer.Dispose();
        lock (_lock)
        {
            _stopped = true;
            if (_shown) { _err.Write("\r\e[2K"); _err.Flush(); }
        }
    }
}
