using CrawlGrep.Core.Compression;
using CrawlGrep.Core.Execution;
using CrawlGrep.Core.Planning.Index;
using CrawlGrep.Core.Scanning;
using CrawlGrep.Core.Sources;

namespace CrawlGrep.Core.Planning;

/// <summary>How the planner cuts inputs into tasks.</summary>
public sealed record PlanOptions
{
    /// <summary>Cores the tasks will run on: the default range size keeps each of them busy.</summary>
    public int Cores { get; init; } = Environment.ProcessorCount;
    /// <summary>--split SIZE: the range size; null for the default.</summary>
    public long? SplitSize { get; init; }

    /// <summary>The smallest default range: below it, the cost of finding the first record of a range shows.</summary>
    public const long MinDefaultSplit = 16L << 20;
    /// <summary>The largest default range: bigger ones would balance poorly over a long scan.</summary>
    public const long MaxDefaultSplit = 256L << 20;
}

/// <summary>An input the planner could not plan: missing, unreadable or not an archive.</summary>
public sealed record PlanFailure(string Source, string Error)
{
    /// <summary>For an index-guided scan, the records selected in the input: what planning it again plans. Null otherwise.</summary>
    public IReadOnlyList<FileExtent>? Records { get; init; }
}

/// <summary>The tasks of a scan, and the inputs that could not be planned.</summary>
public sealed record PlanResult(IReadOnlyList<ScanTask> Tasks, IReadOnlyList<InputLayout> Inputs, IReadOnlyList<PlanFailure> Failures)
{
    public long Bytes => Inputs.Sum(i => i.Length);

    /// <summary>What an index-guided plan reads (records, requests, bytes to fetch); null for a plan of whole inputs.</summary>
    public RecordListSummary? RecordList => RecordListSummary.Of(this);
}

/// <summary>
/// Planner stage: reads the head of each input (format, crawl, whether it can be split) and cuts it into byte-range
/// tasks. By default there are about four ranges per core over all inputs, each 16–256 MiB; a whole-file gzip is
/// one task whatever its size.
/// </summary>
public static class Planner
{
    /// <summary>Inputs probed at once.</summary>
    public const int ProbesAtOnce = 8;

    public static PlanResult Plan(IReadOnlyList<string> inputs, ScanSpec spec, PlanOptions options, Func<string, IByteSource> open)
    {
        long smallestRange = options.SplitSize ?? PlanOptions.MinDefaultSplit;
        var probes = ProbeEach(inputs, open, (IByteSource source, out string? error) => InputProbe.Probe(source, smallestRange, out error));
        var layouts = probes.Where(p => p.Layout is not null).Select(p => p.Layout!).ToList();
        var failures = probes.Where(p => p.Failure is not null).Select(p => p.Failure!).ToList();

        long size = options.SplitSize ?? DefaultSplit(layouts.Where(l => l.Splittable).Sum(l => l.Length), options.Cores);
        var tasks = new List<ScanTask>();
        foreach (var layout in layouts)
        {
            long n = layout.Splittable && layout.Length > size ? (layout.Length - 1) / size + 1 : 1;
            for (long k = 0; k < n; k++)
            {
                tasks.Add(new ScanTask
                {
                    Spec = spec,
                    Source = layout.Source,
                    Start = layout.Length * k / n,
                    End = layout.Length * (k + 1) / n,
                    Format = layout.Format is { } f ? ArchiveFormats.Name(f) : ScanTask.FormatReadAtScan,
                    Crawl = layout.Crawl,
                }.WithId());
            }
        }
        return new PlanResult(tasks, layouts, failures);
    }

    /// <summary>How one input is probed: its layout, or null with the reason it cannot be scanned.</summary>
    public delegate InputLayout? InputProber(IByteSource source, out string? error);

    /// <summary>
    /// Probes each input, a few at once (for remote inputs each probe is a HEAD and a GET, and mostly waiting): for
    /// input i, its layout or why it could not be planned. An input that cannot be opened is a failure, not an exception.
    /// </summary>
    public static (InputLayout? Layout, PlanFailure? Failure)[] ProbeEach(IReadOnlyList<string> inputs, Func<string, IByteSource> open, InputProber probe)
    {
        var probes = new (InputLayout? Layout, PlanFailure? Failure)[inputs.Count];
        IndexWorkers.Run(inputs.Count, ProbesAtOnce, i =>
        {
            string input = inputs[i];
            try
            {
                var layout = probe(open(input), out string? error);
                probes[i] = layout is null ? (null, new PlanFailure(input, error!)) : (layout, null);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                probes[i] = (null, new PlanFailure(input, e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : e.Message));
            }
        });
        return probes;
    }

    /// <summary>
    /// About four ranges per core over all the splittable bytes, within the default bounds; on one core, whole inputs
    /// (ranges there would only add the cost of finding each range's first record). Rounded up: rounded down, one
    /// input became 4 × cores + 1 ranges, and the one left over ran alone on one core at the end.
    /// </summary>
    public static long DefaultSplit(long splittableBytes, int cores) => cores <= 1
        ? long.MaxValue
        : Math.Clamp((splittableBytes + 4L * cores - 1) / (4L * cores), PlanOptions.MinDefaultSplit, PlanOptions.MaxDefaultSplit);
}
