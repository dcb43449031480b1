using CrawlGrep.Core.Compression;
using CrawlGrep.Core.Execution;
using CrawlGrep.Core.Generation;
using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Planning.Index;
using CrawlGrep.Core.Scanning;
using CrawlGrep.Core.Sources;
using CrawlGrep.Tests.Conformance;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Scanning;

/// <summary>
/// Index-guided scans: whatever records are selected, and however they are coalesced into reads and tasks, a
/// record-list scan gives exactly the hits of a full scan of the same files filtered to the selected records, and
/// reads no more than the selected records and the gaps it chose to read between them.
/// </summary>
public sealed class RecordListScanTests(ITestOutputHelper output)
{
    private static readonly ScanSpec Spec = new()
    {
        // Frequent in every kind of record, headers of HTTP payloads included: hits in nearly every record.
        Patterns = new TaskPatterns { Items = ["the", "http", "warc", "[0-9]{4}"], IgnoreCase = true },
        Filters = new TaskFilters { Types = ["all"] },
    };

    private static readonly ScanOptions Options = TaskRunner.Compile(Spec, linesOnly: false, progress: null, out _)!;

    /// <summary>How the selections are cut: each read alone, the default, and one task per read or record.</summary>
    private static readonly RecordListOptions[] Cuts =
    [
        new() { Cores = 2, GapLimit = 0 },
        new() { Cores = 2 },
        new() { Cores = 2, GapLimit = 1 << 20, TaskBytes = 1 },
    ];

    [Fact]
    public void A_record_list_scan_of_the_real_archives_gives_the_full_scans_hits_of_the_selected_records()
    {
        if (RealData.Require(output) is null) return;
        int files = 0, plans = 0;
        var formats = new HashSet<ArchiveFormat>();
        foreach (var entry in SourcesTable.Entries.Where(e => e.IsWarc))
        {
            var bytes = RealData.Bytes(entry.File);
            if (Clean(new MemorySource(entry.File, bytes)) is not { } format) continue;
            plans += CheckSelections(new MemorySource(entry.File, bytes), new Random(files));
            formats.Add(format);
            files++;
        }
        // The zstd files built from the clean samples (no real .warc.zst exists): dictionary in the head, a frame per record.
        foreach (var row in RecordRangeTests.CleanWarcFiles().Take(12))
        {
            string file = (string)row[0];
            var decoded = ReferenceWarc.Decoded(RealData.Bytes(file));
            if (decoded.Length < 1024) continue; // too little to train a dictionary on
            var refs = ReferenceWarc.Split(decoded)!;
            var built = WarcZstd.Build(refs.Select((r, i) => decoded[r.Start..(i + 1 < refs.Count ? refs[i + 1].Start : decoded.Length)]).ToList(), withDictionary: true);
            var source = new MemorySource(file + ".zst", built.File);
            Assert.Equal(ArchiveFormat.Zstd, Clean(source));
            plans += CheckSelections(source, new Random(files));
            formats.Add(ArchiveFormat.Zstd);
            files++;
        }
        output.WriteLine($"{plans} record-list plans of {files} real archives");
        Assert.True(files >= 30, $"only {files} clean archives");
        Assert.Equal([ArchiveFormat.Plain, ArchiveFormat.Gzip, ArchiveFormat.Zstd], formats.Order());
    }

    [Theory]
    [InlineData(WarcCompression.Gzip)]
    [InlineData(WarcCompression.Zstd)]
    [InlineData(WarcCompression.Plain)]
    public void A_record_list_scan_of_a_generated_corpus_gives_the_full_scans_hits_of_the_selected_records(WarcCompression compression)
    {
        var source = Generated(compression, 3 << 20);
        Assert.NotNull(Clean(source));
        int plans = CheckSelections(source, new Random((int)compression));
        output.WriteLine($"{plans} record-list plans of a {source.Length}-byte {compression} corpus");
    }

    [Theory]
    [InlineData(WarcCompression.Gzip)]
    [InlineData(WarcCompression.Zstd)]
    [InlineData(WarcCompression.Plain)]
    public void A_listed_offset_where_no_record_starts_is_one_warning_and_the_other_records_are_scanned(WarcCompression compression)
    {
        var source = Generated(compression, 1 << 20);
        var all = AllRecords(source);
        var real = all.Where((_, i) => i % 4 == 1).ToList();
        long inside = all[6].Offset + 7, longInside = all[8].Offset + 3, first = all[0].Offset + 1, past = source.Length + 100;
        var bogus = new List<FileExtent>
        {
            new(inside, 40),                                  // in a record no one selected
            new(longInside, all[10].Offset + 20 - longInside), // over the next record (selected) and into the one after
            new(first, 30),                                   // in the first record: the head of the first read
            new(past, 10),                                    // past the end of the file
        };
        foreach (var cut in Cuts)
        {
            var plan = RecordListPlanner.Plan(Select(source, real.Concat(bogus)), Spec, cut, _ => source);
            var run = Run(plan, source);
            Assert.Equal(Expected(source, real), Keys(run.Sink.Hits));
            Assert.True(bogus.Select(b => b.Offset).Order().SequenceEqual(run.Sink.Warnings.Select(w => w.Offset).Order()),
                $"gap {cut.GapLimit}, task {cut.TaskBytes}: records at {string.Join(", ", all.Take(12).Select(r => r.Offset))}; warnings: {string.Join("; ", run.Sink.Warnings)}");
            Assert.All(run.Sink.Warnings, w => Assert.Equal(source.Name, w.File));
            Assert.Contains("no record starts there", run.Sink.Warnings.Single(w => w.Offset == inside).ToString());
            Assert.Contains("past the end of the file", run.Sink.Warnings.Single(w => w.Offset == past).ToString());
            Assert.Equal(real.Count, run.Stats.Records);
        }
    }

    [Fact]
    public void A_record_list_scan_allocates_nothing_per_record()
    {
        var once = Generated(WarcCompression.Gzip, 8 << 20);
        var twice = new MemorySource("twice.warc.gz", [.. once.Bytes, .. once.Bytes]);
        using var scanner = new ArchiveScanner(Options with { Patterns = new Core.Matching.PatternSet(["zzqqxxnotthere"], new Core.Matching.MatchOptions()) });
        var sink = new CollectingSink();
        (long Bytes, long Records) Measure(MemorySource source)
        {
            // Every record, in one read: what is allocated per read or per input cancels out, what is per record doubles.
            var records = AllRecords(source);
            var slice = new ScanSlice(0, source.Length, ArchiveFormat.Gzip) { Records = records, Reads = [new FileExtent(0, source.Length)] };
            scanner.Scan(source, sink, slice); // warm up
            // The least of three scans: a one-off (a pool's buffer rented again after a trim) is not per record.
            (long Bytes, long Records) least = (long.MaxValue, 0);
            for (int i = 0; i < 3; i++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                var r = scanner.Scan(source, sink, slice);
                least = (Math.Min(least.Bytes, GC.GetAllocatedBytesForCurrentThread() - before), r.Stats.Records);
            }
            return least;
        }
        var a = Measure(once);
        var b = Measure(twice);
        double perRecord = (double)(b.Bytes - a.Bytes) / (b.Records - a.Records);
        output.WriteLine($"{a.Records} records: {a.Bytes} bytes; {b.Records} records: {b.Bytes} bytes; {perRecord:F2} bytes per record");
        Assert.Empty(sink.Hits);
        Assert.Empty(sink.Warnings);
        Assert.Equal(2 * a.Records, b.Records);
        Assert.True(perRecord < 1, $"{perRecord:F2} bytes allocated per record");
    }

    /// <summary>
    /// Plans and runs the selections the issue names (every record, every third, a random 1%, the first, the last)
    /// in each of <see cref="Cuts"/>, and checks each against the full scan; returns the number of plans checked.
    /// </summary>
    private int CheckSelections(MemorySource source, Random rng)
    {
        var all = AllRecords(source);
        var selections = new Dictionary<string, List<FileExtent>>
        {
            ["every record"] = all,
            ["every third"] = all.Where((_, i) => i % 3 == 2).ToList(),
            ["1%"] = all.Where(_ => rng.NextDouble() < 0.01).DefaultIfEmpty(all[rng.Next(all.Count)]).ToList(),
            ["the first"] = [all[0]],
            ["the last"] = [all[^1]],
        };
        int plans = 0;
        foreach (var (name, selected) in selections.Where(s => s.Value.Count > 0)) // every third of a file of two: none
            foreach (var cut in Cuts)
            {
                // Shuffled and with a duplicate: the planner sorts and dedups.
                var listed = selected.Append(selected[0]).OrderBy(_ => rng.Next()).ToList();
                var plan = RecordListPlanner.Plan(Select(source, listed), Spec, cut, _ => source);
                string what = $"{source.Name}, {name} ({selected.Count} of {all.Count}), gap {cut.GapLimit?.ToString() ?? "default"}, task {cut.TaskBytes?.ToString() ?? "default"}";
                Assert.True(plan.Failures.Count == 0, $"{what}: {string.Join("; ", plan.Failures)}");
                var run = Run(plan, source);
                Assert.True(run.Sink.Warnings.Count == 0, $"{what}: {string.Join("; ", run.Sink.Warnings)}");
                var expected = Expected(source, selected);
                var actual = Keys(run.Sink.Hits);
                if (!actual.SequenceEqual(expected))
                    Assert.Fail($"{what}: {actual.Count} hits, the full scan's {expected.Count}; missing {string.Join(" ; ", expected.Except(actual).Take(3))}; " +
                                $"extra {string.Join(" ; ", actual.Except(expected).Take(3))}");
                Assert.Equal(selected.Count, run.Stats.Records);
                CheckBytes(plan, run.Stats, selected, cut.GapFor(source.Name), what);
                plans++;
            }
        return plans;
    }

    /// <summary>
    /// The selected records' bytes ≤ bytes read ≤ bytes to fetch (the plan's reads) ≤ the selected records' bytes
    /// plus at most one gap limit for each pair of neighbours read in one request.
    /// </summary>
    private static void CheckBytes(PlanResult plan, ScanStats stats, List<FileExtent> selected, long gapLimit, string what)
    {
        var summary = plan.RecordList!;
        long selectedBytes = selected.Sum(r => r.Length);
        Assert.Equal(selected.Count, summary.Records);
        Assert.Equal(plan.Tasks.Sum(t => t.Reads!.Count), summary.Requests);
        Assert.True(selectedBytes <= stats.CompressedBytes, $"{what}: read {stats.CompressedBytes} bytes, the selected records are {selectedBytes}");
        Assert.True(stats.CompressedBytes <= summary.FetchBytes, $"{what}: read {stats.CompressedBytes} bytes, the plan fetches {summary.FetchBytes}");
        Assert.True(summary.FetchBytes <= selectedBytes + gapLimit * (summary.Records - summary.Requests),
            $"{what}: fetches {summary.FetchBytes} bytes for {selectedBytes} bytes of records in {summary.Requests} requests");
        Assert.Equal((double)summary.FetchBytes / summary.FileBytes, summary.Fraction);
    }

    /// <summary>The format of a source a record list can read (per-record units, no damage), or null.</summary>
    private static ArchiveFormat? Clean(MemorySource source)
    {
        if (EngineRead.Detect(source.Bytes, out _) is null) return null;
        var layout = InputProbe.Probe(source, out _);
        if (layout is not { RecordsShareUnits: false }) return null;
        var whole = EngineRead.ReadAll(source.Bytes);
        return whole.Warnings.Count == 0 && whole.Records.Count > 0 && whole.Records.All(r => r.CompressedLength > 0 && !r.Truncated) ? layout.Format : null;
    }

    /// <summary>Every record of the source, as an index would list it: its compressed offset and length, read by the engine.</summary>
    private static List<FileExtent> AllRecords(MemorySource source) => EngineRead.ReadAll(source.Bytes).Extents;

    private static List<SelectedRecord> Select(MemorySource source, IEnumerable<FileExtent> records) =>
        records.Select(r => new SelectedRecord(source.Name, r.Offset, r.Length)).ToList();

    private static MemorySource Generated(WarcCompression compression, long size)
    {
        var warc = new MemoryStream();
        new CorpusGenerator(new CorpusOptions { Seed = 12, TargetSize = size, Kinds = CorpusKinds.Warc, Compression = compression }).Generate(warc, null, null);
        return new MemorySource($"CC-MAIN-20240517233122-20240518023122-00000.{compression}", warc.ToArray());
    }

    /// <summary>The full scan's hits in the selected records.</summary>
    private static List<string> Expected(MemorySource source, IEnumerable<FileExtent> selected)
    {
        var offsets = selected.Select(r => r.Offset).ToHashSet();
        using var scanner = new ArchiveScanner(Options);
        var whole = new CollectingSink();
        scanner.Scan(source, whole);
        Assert.Empty(whole.Warnings);
        return Keys(whole.Hits.Where(h => offsets.Contains(h.RecordOffset)));
    }

    /// <summary>Runs every task of the plan as a worker would.</summary>
    internal static (CollectingSink Sink, ScanStats Stats) Run(PlanResult plan, IByteSource source)
    {
        var sink = new CollectingSink();
        var stats = new ScanStats();
        using var runner = new TaskRunner(Options, _ => source);
        foreach (var task in plan.Tasks)
        {
            var outcome = runner.Run(task, sink);
            Assert.Null(outcome.Error);
            stats.Add(outcome.Stats);
        }
        return (sink, stats);
    }

    private static List<string> Keys(IEnumerable<Hit> hits) =>
        hits.Select(h => $"{h.File}|{h.RecordOffset}|{h.RecordLength}|{h.Pattern}|{h.MatchOffset}|{h.Match}|{h.WarcType}|{h.RecordId}|" +
                         $"{h.TargetUri}|{h.Crawl}|{h.ContentType}|{h.Context}").Order(StringComparer.Ordinal).ToList();
}
