namespace CrawlGrep.Core.Scanning;

/// <summary>Counters for one input or a whole scan. Updated by one thread per input, then summed.</summary>
public sealed class ScanStats
{
    public long Files;
    public long Records;
    public long RecordsMatched;
    public long RecordsScanned;
    public long CompressedBytes;
    public long DecodedBytes;
    public long PayloadBytes;
    public long Hits;
    public long Warnings;
    public long Errors;
    /// <summary>What a remote source did to the reads: requests made, retried, and pushed back (503 SlowDown, 429).</summary>
    public long SourceRequests;
    public long SourceRetries;
    public long SourcePushbacks;

    public void Add(ScanStats o)
    {
        Files += o.Files; Records += o.Records; RecordsMatched += o.RecordsMatched;
        RecordsScanned += o.RecordsScanned; CompressedBytes += o.CompressedBytes;
        DecodedBytes += o.DecodedBytes; PayloadBytes += o.PayloadBytes; Hits += o.Hits;
        Warnings += o.Warnings; Errors += o.Errors;
        SourceRequests += o.SourceRequests; SourceRetries += o.SourceRetries; SourcePushbacks += o.SourcePushbacks;
    }
}

/// <summary>The outcome of scanning one input: its stats, and the error if it could not be read at all.</summary>
public sealed record FileScanResult(string File, ScanStats Stats, string? Error, string Format)
{
    /// <summary>The tasks the input was scanned in (empty when it was scanned whole, outside a plan).</summary>
    public IReadOnlyList<TaskOutcome> Tasks { get; init; } = [];

    /// <summary>The scan was stopped (Ctrl-C, -q's first hit) before this input's records were all read.</summary>
    public bool Stopped { get; init; }
}

/// <summary>How one task of a plan went: the row it gets in the <c>tasks</c> table.</summary>
/// <param name="Stopped">The scan stopped before the task ran or finished: it is not done, and not failed either.</param>
public sealed record TaskOutcome(string TaskId, long Start, long End, string Format, ScanStats Stats, string? Error,
    DateTime StartedAt, DateTime FinishedAt, bool Stopped = false);
