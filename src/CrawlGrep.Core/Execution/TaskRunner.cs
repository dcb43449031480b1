using CrawlGrep.Core.Compression;
using CrawlGrep.Core.Matching;
using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Scanning;
using CrawlGrep.Core.Sources;

namespace CrawlGrep.Core.Execution;

/// <summary>
/// Runs one <see cref="ScanTask"/>: opens its source, scans the records its range owns, sends its hits and warnings
/// to a sink and returns its outcome. The same code runs a task on a local core and inside a Lambda worker, so the
/// two cannot drift. One instance per thread: it reuses its scanner's buffers from task to task.
/// </summary>
public sealed class TaskRunner(ScanOptions options, Func<string, IByteSource> open) : IDisposable
{
    private readonly ArchiveScanner _scanner = new(options);

    /// <summary>Runs <paramref name="task"/>. A source that cannot be opened is the task's error, not an exception.</summary>
    public TaskOutcome Run(ScanTask task, IHitSink sink, CancellationToken ct = default)
    {
        var started = DateTime.UtcNow;
        if (task.Validate() is { } invalid)
            return new TaskOutcome(task.Id, task.Start, task.End, task.Format, new ScanStats { Errors = 1 }, $"not a task that can run: {invalid}", started, DateTime.UtcNow);
        IByteSource source;
        try { source = open(task.Source); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string error = e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : e.Message;
            return new TaskOutcome(task.Id, task.Start, task.End, task.Format, new ScanStats { Errors = 1 }, error, started, DateTime.UtcNow);
        }
        // A whole-input task reads the head itself (format, crawl from warcinfo); a range or a record list gets them from the plan.
        ScanSlice? slice = null;
        if (task.Records is not null || task.Start > 0 || task.End < source.Length)
        {
            var format = ArchiveFormats.Parse(task.Format);
            if (format is null)
                return new TaskOutcome(task.Id, task.Start, task.End, task.Format, new ScanStats { Errors = 1 },
                    $"a range of an input of unknown format '{task.Format}'", started, DateTime.UtcNow);
            slice = new ScanSlice(task.Start, task.End, format.Value, task.Crawl) { Records = task.Records, Reads = task.Reads };
        }
        var result = _scanner.Scan(source, sink, slice, ct);
        result.Stats.Files = 0; // an input is counted once, by whoever puts its tasks together
        // A read the scan's stop broke off is no failure of the task: it is stopped (no row; a resume runs it), and
        // nothing is written for it on the way out of a Ctrl-C.
        if (ct.IsCancellationRequested && result.Error is not null)
        {
            result.Stats.Errors = 0;
            return new TaskOutcome(task.Id, task.Start, task.End, result.Format.Length > 0 ? result.Format : task.Format,
                result.Stats, null, started, DateTime.UtcNow, Stopped: true);
        }
        return new TaskOutcome(task.Id, task.Start, task.End, result.Format.Length > 0 ? result.Format : task.Format,
            result.Stats, result.Error, started, DateTime.UtcNow, result.Stopped && result.Error is null);
    }

    /// <summary>Compiles what a scan asks for into the options its runners share; null with a one-line error.</summary>
    /// <param name="linesOnly">Only which lines match is wanted (-c, -l, -q with nothing recorded).</param>
    public static ScanOptions? Compile(ScanSpec spec, bool linesOnly, ScanProgress? progress, out string? error)
    {
        error = null;
        PatternSet set;
        try
        {
            set = new PatternSet(spec.Patterns.Items, new MatchOptions
            {
                FixedStrings = spec.Patterns.FixedStrings, IgnoreCase = spec.Patterns.IgnoreCase, WordRegexp = spec.Patterns.WordRegexp,
            });
        }
        catch (PatternException e) { error = e.Message; return null; }
        RecordFilter filter;
        try { filter = new RecordFilter(spec.Filters.Types, spec.Filters.Mime, spec.Filters.Url); }
        catch (ArgumentException e) { error = $"invalid --url regex: {e.Message}"; return null; }
        return new ScanOptions
        {
            Patterns = set, Filter = filter, MaxLinesPerFile = spec.Limits.MaxLinesPerFile, Progress = progress, LinesOnly = linesOnly,
            ContextBytes = spec.Limits.ContextBytes, MaxMatchBytes = spec.Limits.MaxMatchBytes,
        };
    }

    public void Dispose() => _scanner.Dispose();
}
