using CrawlGrep.Core.Sources;

namespace CrawlGrep.Core.Planning.Index;

/// <summary>How an index-guided scan reads the records it selected: which neighbours share a request, and how much a task fetches.</summary>
public sealed record RecordListOptions
{
    /// <summary>Cores (or workers in flight) the tasks will run on: the default task size keeps each of them busy.</summary>
    public int Cores { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// The largest gap between two selected records that is read (and skipped) rather than paid for with another
    /// request; null: <see cref="DefaultRemoteGap"/> for s3:// and https:// files, <see cref="DefaultLocalGap"/> for local ones.
    /// </summary>
    public long? GapLimit { get; init; }

    /// <summary>Bytes to fetch per task; null: <see cref="DefaultTaskBytes"/>.</summary>
    public long? TaskBytes { get; init; }

    /// <summary>
    /// The smallest default task. A range task starts by finding its first record, which a small range cannot
    /// amortise; a record-list task starts at a known record, so it can be far smaller than a range (a 1% selection
    /// of a gigabyte is 10 MB, which should still keep every core busy).
    /// </summary>
    public const long MinDefaultTaskBytes = 1L << 20;

    /// <summary>About four tasks per core over <paramref name="fetchBytes"/>, each 1–256 MiB; one task on one core.</summary>
    public long DefaultTaskBytes(long fetchBytes) => Cores <= 1
        ? long.MaxValue
        : Math.Clamp((fetchBytes + 4L * Cores - 1) / (4L * Cores), MinDefaultTaskBytes, PlanOptions.MaxDefaultSplit);

    /// <summary>Records one task may list: keeps its JSON well under Lambda's 1 MB Event payload (about 20 bytes a record).</summary>
    public int MaxRecordsPerTask { get; init; } = DefaultMaxRecordsPerTask;

    public const int DefaultMaxRecordsPerTask = 10_000;

    /// <summary>
    /// One more request costs its first-byte latency, about 50 ms for an S3 or HTTPS range GET, in which one stream
    /// delivers 50 ms × 70 MB/s ≈ 3.5 MB; a gap read is also inflated to be skipped, about 5.5 ns a byte on one core
    /// (bench/results/record-gap.md), so the two break even at 2.5 to 3.5 MB. 2 MiB stays below that (the latency
    /// varies), and fewer requests also mean fewer 503 SlowDowns from Common Crawl's servers.
    /// </summary>
    public const long DefaultRemoteGap = 2L << 20;

    /// <summary>
    /// A local request has no latency, only its setup (the range opened, a decoder and a reader: 11 to 17 µs
    /// measured), the cost of inflating 2 to 3 KB of gap; 4 KiB measured best (bench/results/record-gap.md).
    /// </summary>
    public const long DefaultLocalGap = 4L << 10;

    /// <summary>The gap limit for <paramref name="file"/>.</summary>
    public long GapFor(string file) => GapLimit ?? (SourceProviders.IsRemote(file) ? DefaultRemoteGap : DefaultLocalGap);
}
