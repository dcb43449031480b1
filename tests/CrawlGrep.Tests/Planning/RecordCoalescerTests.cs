using CrawlGrep.Core.Planning.Index;
using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Tests.Planning;

/// <summary>How the records an index selected in one file become reads (one request each) and tasks.</summary>
public sealed class RecordCoalescerTests
{
    private static FileExtent R(long offset, long length) => new(offset, length);

    private static List<RecordGroup> Coalesce(IEnumerable<FileExtent> records, long gap, long taskBytes = long.MaxValue, int maxRecords = int.MaxValue, long fileLength = 1L << 40) =>
        RecordCoalescer.Coalesce(records, fileLength, gap, taskBytes, maxRecords);

    private static string Show(IEnumerable<FileExtent> extents) => string.Join(" ", extents);

    [Fact]
    public void Neighbours_within_the_gap_limit_share_a_read_and_farther_ones_do_not()
    {
        // Gaps of 100, 101 and 0 bytes; the limit is 100.
        var g = Assert.Single(Coalesce([R(1000, 50), R(0, 100), R(200, 100), R(401, 99)], gap: 100));
        Assert.Equal([R(0, 100), R(200, 100), R(401, 99), R(1000, 50)], g.Records); // sorted by offset
        Assert.Equal([R(0, 300), R(401, 99), R(1000, 50)], g.Reads);
        Assert.Equal(300 + 99 + 50, g.Bytes);

        // A gap limit of 0 merges only records that touch.
        Assert.Equal([R(0, 300), R(401, 99), R(1000, 50)], Assert.Single(Coalesce([R(0, 100), R(100, 100), R(200, 100), R(401, 99), R(1000, 50)], gap: 0)).Reads);
        // A large one reads the file from the first record to the end of the last.
        Assert.Equal([R(0, 1050)], Assert.Single(Coalesce([R(0, 100), R(1000, 50)], gap: 1 << 20)).Reads);
    }

    [Fact]
    public void Tasks_are_bounded_by_bytes_to_fetch_and_by_records_and_tiny_reads_share_a_task()
    {
        // Ten 100-byte records 1,000 bytes apart: ten reads of one file, 1,000 bytes in all.
        var records = Enumerable.Range(0, 10).Select(i => R(i * 1100L, 100)).ToList();
        var one = Assert.Single(Coalesce(records, gap: 500));
        Assert.Equal(10, one.Reads.Count);

        // 350 bytes a task: three reads each (the fourth would make 400), so 3 + 3 + 3 + 1.
        var bySize = Coalesce(records, gap: 500, taskBytes: 350);
        Assert.Equal([3, 3, 3, 1], bySize.Select(g => g.Reads.Count));
        Assert.All(bySize, g => Assert.True(g.Bytes <= 350));
        Assert.Equal(records, bySize.SelectMany(g => g.Records)); // every record in exactly one task, in order

        // One read larger than a task is cut between records: the whole selection spreads over tasks.
        var dense = Enumerable.Range(0, 100).Select(i => R(i * 100L, 100)).ToList();
        var cut = Coalesce(dense, gap: 1 << 20, taskBytes: 1000);
        Assert.Equal(10, cut.Count);
        Assert.All(cut, g => Assert.Equal([R(g.Records[0].Offset, 1000)], g.Reads));

        // A record larger than a task is a task of its own, not an empty one and not dropped.
        var big = Coalesce([R(0, 10), R(10, 5000), R(5010, 10)], gap: 0, taskBytes: 100);
        Assert.Equal(["[0, 10)", "[10, 5010)", "[5010, 5020)"], big.Select(g => Show(g.Records)));

        var byCount = Coalesce(dense, gap: 1 << 20, maxRecords: 30);
        Assert.Equal([30, 30, 30, 10], byCount.Select(g => g.Records.Count));
    }

    [Fact]
    public void Duplicates_are_one_record_and_overlaps_are_read_once()
    {
        // The same record three times, once with a longer length: one record, its longest length read.
        var dup = Assert.Single(Coalesce([R(100, 50), R(100, 50), R(100, 80), R(500, 10)], gap: 0));
        Assert.Equal([R(100, 80), R(500, 10)], dup.Records);
        Assert.Equal([R(100, 80), R(500, 10)], dup.Reads);

        // A record inside another, and one that starts inside it and ends past it: listed (the scan warns of those
        // where no record starts), read in one range, never twice.
        var overlap = Assert.Single(Coalesce([R(0, 1000), R(200, 100), R(900, 300)], gap: 0));
        Assert.Equal([R(0, 1000), R(200, 100), R(900, 300)], overlap.Records);
        Assert.Equal([R(0, 1200)], overlap.Reads);

        // Even when a task is full, a record starting inside its read stays with it rather than reading bytes again.
        var full = Coalesce([R(0, 100), R(50, 100), R(1000, 100)], gap: 0, taskBytes: 120);
        Assert.Equal(["[0, 150)", "[1000, 1100)"], full.Select(g => Show(g.Reads)));
    }

    [Fact]
    public void Records_outside_the_file_are_listed_but_never_read()
    {
        var groups = Coalesce([R(-5, 10), R(0, 100), R(900, 500), R(1000, 10), R(2000, 10), R(300, 0)], gap: 0, fileLength: 1000);
        var g = Assert.Single(groups);
        Assert.Equal([-5L, 0, 300, 900, 1000, 2000], g.Records.Select(r => r.Offset));
        Assert.Equal([R(0, 100), R(900, 100)], g.Reads); // the read ends with the file

        // A task of nothing but unreadable records reads nothing; the scan says each was not found.
        var none = Assert.Single(Coalesce([R(5000, 10)], gap: 0, fileLength: 1000));
        Assert.Empty(none.Reads);
        Assert.Equal(0, none.Bytes);
    }
}
