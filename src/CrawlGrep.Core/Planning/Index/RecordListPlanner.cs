using CrawlGrep.Core.Compression;
using CrawlGrep.Core.Scanning;
using CrawlGrep.Core.Sources;

namespace CrawlGrep.Core.Planning.Index;

/// <summary>
/// Plans an index-guided scan: the records an index selected become record-list tasks that own exactly those
/// records, so its hits are those of a full scan of the same files filtered to the selected records. Each file's
/// head is probed as <see cref="Planner"/> does (its format, its crawl), and its records are coalesced into reads by
/// <see cref="RecordCoalescer"/>. A file that cannot be read becomes a <see cref="PlanFailure"/> that keeps its records.
/// </summary>
public static class RecordListPlanner
{
    public static PlanResult Plan(IReadOnlyList<SelectedRecord> records, ScanSpec spec, RecordListOptions options, Func<string, IByteSource> open)
    {
        // Files in the order the selection first names them; each with its records.
        var byFile = new Dictionary<string, List<FileExtent>>(StringComparer.Ordinal);
        var files = new List<string>();
        foreach (var r in records)
        {
            if (!byFile.TryGetValue(r.File, out var list))
            {
                byFile[r.File] = list = new List<FileExtent>();
                files.Add(r.File);
            }
            list.Add(new FileExtent(r.Offset, r.Length));
        }

        var probes = Planner.ProbeEach(files, open, InputProbe.Probe);
        var planned = new List<(string File, InputLayout Layout)>();
        var failures = new List<PlanFailure>();
        for (int i = 0; i < files.Count; i++)
        {
            var (layout, failure) = probes[i];
            if (layout is { RecordsShareUnits: true })
                failure = new PlanFailure(files[i], "gzip members of several records (a whole-file gzip?): its records cannot be read one by one; scan it whole");
            if (failure is not null) failures.Add(failure with { Records = byFile[files[i]] });
            else planned.Add((files[i], layout!));
        }

        long taskBytes = options.TaskBytes ?? options.DefaultTaskBytes(planned.Sum(p => Groups(p.File, p.Layout, long.MaxValue, int.MaxValue).Sum(g => g.Bytes)));
        var tasks = new List<ScanTask>();
        foreach (var (file, layout) in planned)
        {
            foreach (var group in Groups(file, layout, taskBytes, options.MaxRecordsPerTask))
            {
                long start = group.Reads.Count > 0 ? group.Reads[0].Offset : Math.Clamp(group.Records[0].Offset, 0, layout.Length);
                tasks.Add(new ScanTask
                {
                    Spec = spec,
                    Source = file,
                    Start = start,
                    End = group.Reads.Count > 0 ? group.Reads[^1].End : start,
                    Format = ArchiveFormats.Name(layout.Format!.Value),
                    Crawl = layout.Crawl,
                    Records = group.Records,
                    Reads = group.Reads,
                }.WithId());
            }
        }
        return new PlanResult(tasks, planned.Select(p => p.Layout with { Source = p.File }).ToList(), failures);

        List<RecordGroup> Groups(string file, InputLayout layout, long bytes, int maxRecords) =>
            RecordCoalescer.Coalesce(byFile[file], layout.Length, options.GapFor(file), bytes, maxRecords);
    }
}
