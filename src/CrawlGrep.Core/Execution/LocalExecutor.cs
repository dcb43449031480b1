using System.Collections.Concurrent;
using CrawlGrep.Core.Compression;
using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Scanning;
using CrawlGrep.Core.Sources;

namespace CrawlGrep.Core.Execution;

/// <summary>
/// Runs a plan's tasks on this machine's cores, one scanner per worker thread, handing tasks out in plan order.
/// Their hits reach the sink in file order (see <see cref="OrderedEmitter"/>), however the tasks interleave.
/// </summary>
public sealed class LocalExecutor(ScanOptions options, int threads, Func<string, IByteSource> open)
{
    /// <summary>Cancel the whole scan at the first hit (grep -q).</summary>
    public bool StopAtFirstHit { get; init; }

    /// <summary>Runs <paramref name="tasks"/>; returns the totals. Each input gets one <see cref="IHitSink.OnFileDone"/>.</summary>
    public ScanStats Run(IReadOnlyList<ScanTask> tasks, IHitSink sink, CancellationToken ct = default)
    {
        // Each input's tasks together and in order: the emitter closes an input after its last task.
        var ordered = tasks.Select((t, i) => (t, i)).GroupBy(x => x.t.Source, StringComparer.Ordinal)
            .SelectMany(g => g.OrderBy(x => x.t.Start).ThenBy(x => x.i)).Select(x => x.t).ToList();
        var emitter = new OrderedEmitter(ordered, sink, options.MaxLinesPerFile);
        var totals = new ScanStats();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            Parallel.ForEach(Partitioner.Create(Enumerable.Range(0, ordered.Count), EnumerablePartitionerOptions.NoBuffering),
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) },
                () => new ArchiveScanner(options),
                (index, _, scanner) =>
                {
                    var task = ordered[index];
                    bool full = emitter.IsFull(task.Source);
                    if (stop.IsCancellationRequested || full)
                    {
                        // A full input (-m) is done; a stopped scan leaves the task to a resume.
                        emitter.Skip(index, stopped: !full);
                        return scanner;
                    }
                    var started = DateTime.UtcNow;
                    var result = RunTask(scanner, task, emitter.SinkFor(index), stop.Token);
                    lock (totals) totals.Add(result.Stats);
                    emitter.OnTaskDone(index, new TaskOutcome(task.Id, task.Start, task.End, result.Format.Length > 0 ? result.Format : task.Format,
                        result.Stats, result.Error, started, DateTime.UtcNow, result.Stopped && result.Error is null), result);
                    if (StopAtFirstHit && emitter.Hits > 0) stop.Cancel();
                    return scanner;
                },
                scanner => scanner.Dispose());
        }
        catch (AggregateException e) when (e.InnerExceptions.All(x => x is IOException))
        {
            throw e.InnerExceptions[0]; // the output went away (e.g. | head): the caller stops like grep
        }
        totals.Hits = emitter.Hits;
        totals.Files = ordered.Select(t => t.Source).Distinct().Count();
        return totals;
    }

    private FileScanResult RunTask(ArchiveScanner scanner, ScanTask task, IHitSink sink, CancellationToken ct)
    {
        IByteSource source;
        try { source = open(task.Source); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var failed = new FileScanResult(task.Source, new ScanStats { Errors = 1 },
                e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : e.Message, task.Format);
            return failed;
        }
        // A whole-input task reads the head itself (format, crawl from warcinfo); a range gets them from the plan.
        ScanSlice? slice = null;
        if (task.Start > 0 || task.End < source.Length)
        {
            var format = ArchiveFormats.Parse(task.Format) ?? throw new InvalidDataException($"task {task.Id}: a range of an input of unknown format '{task.Format}'");
            slice = new ScanSlice(task.Start, task.End, format, task.Crawl);
        }
        var result = scanner.Scan(source, sink, slice, ct);
        result.Stats.Files = 0;
        return result;
    }
}
