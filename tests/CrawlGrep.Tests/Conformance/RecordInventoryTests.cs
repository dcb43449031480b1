using CrawlGrep.Core.Compression;
using CrawlGrep.Core.Matching;
using CrawlGrep.Core.Scanning;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Conformance;

/// <summary>
/// Every sample listed in SOURCES.md: the WARC-bearing ones read to exactly the listed record count
/// and WARC-Type multiset; the others are refused by the scanner with an error, never an exception.
/// </summary>
public sealed class RecordInventoryTests(ITestOutputHelper output)
{
    /// <summary>
    /// Files where SOURCES.md's counting rule (every "^WARC/digit" line is a record, every "WARC-Type:"
    /// line a type) differs from what a reader framing records by Content-Length must report. Each was
    /// checked against the bytes; the comment says why the table's number is not the reader's.
    /// </summary>
    private static readonly Dictionary<string, (int Records, string Types, bool Damaged)> TableExceptions = new()
    {
        // The first record repeats WARC-Type ("does-not-exist", then "CAPITALIZED"). WARC-Type is not
        // repeatable; the first value is the record's type, as warcio takes it. The table counts both
        // lines, so it lists 4 types for 3 records. The record count (3) agrees.
        ["warcio/standard-torture-validate-field.warc"] = (3, "does-not-exist:1 invalid:1 request:1", false),

        // Every Content-Length in this file is wrong: the real CC warcinfo kept its CRLF-era length
        // (370) after its lines were cut to LF, and the synthetic conversion records count characters,
        // not bytes. No declared block ends at a record boundary, so the reader takes each block up to
        // the next WARC/ line and warns: all 4 records the table lists are read, none swallowed.
        ["cc_net/sample.warc.txt"] = (4, "conversion:3 warcinfo:1", true),
    };

    public static IEnumerable<object[]> WarcFiles() => RealData.Rows(() => SourcesTable.Entries.Where(e => e.IsWarc).Select(e => e.File));
    public static IEnumerable<object[]> NonWarcFiles() => RealData.Rows(() => SourcesTable.Entries.Where(e => e.MustFail).Select(e => e.File));

    [Fact]
    public void Conformance_SourcesTable_lists_every_sample_file()
    {
        string? root = RealData.Require(output);
        if (root is null) return;
        var listed = SourcesTable.Entries.Select(e => e.File).ToHashSet();
        var onDisk = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(root, p).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(p => p != "SOURCES.md" && !Path.GetFileName(p).StartsWith('.'))
            .ToHashSet();
        Assert.Empty(onDisk.Except(listed).Order());
        Assert.Empty(listed.Except(onDisk).Order());
        Assert.True(SourcesTable.Entries.Count(e => e.IsWarc) >= 60, "expected the ~70 WARC-bearing samples");
        Assert.Equal(SourcesTable.Entries.Count, listed.Count); // no file listed twice
    }

    [Theory]
    [MemberData(nameof(WarcFiles))]
    public void Conformance_reader_gives_the_listed_record_count_and_types(string file)
    {
        if (RealData.Require(output) is null) return;
        var entry = SourcesTable.Get(file);
        byte[] bytes = RealData.Bytes(file);

        var result = EngineRead.ReadAll(bytes);
        Assert.True(result.Format is not null, $"{file}: not detected as an archive: {result.Reason}");
        if (entry.GzMembersText.StartsWith("members=", StringComparison.Ordinal))
            Assert.Equal(ArchiveFormat.Gzip, result.Format);
        else
            Assert.Equal(ArchiveFormat.Plain, result.Format);
        foreach (var w in result.Warnings) output.WriteLine($"warning {w}");

        var expectedCount = entry.Records;
        var expected = entry.Types;
        if (TableExceptions.TryGetValue(file, out var exception))
        {
            expectedCount = exception.Records;
            expected = SourcesTable.ParseTypes(exception.Types);
            if (exception.Damaged) Assert.NotEmpty(result.Warnings);
        }
        Assert.Equal(expectedCount, result.Records.Count);
        var actual = result.Records.Where(r => r.TypeName.Length > 0)
            .GroupBy(r => r.TypeName).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Format(expected), Format(actual));
    }

    [Theory]
    [MemberData(nameof(NonWarcFiles))]
    public void Conformance_scanner_reports_an_error_for_files_that_are_not_WARC(string file)
    {
        if (RealData.Require(output) is null) return;
        var options = new ScanOptions { Patterns = new PatternSet(["a"], new MatchOptions { FixedStrings = true }), Filter = new RecordFilter(["all"]) };
        var sink = new CollectingSink();
        FileScanResult result;
        using (var scanner = new ArchiveScanner(options))
            result = scanner.ScanFile(RealData.PathOf(file), sink);
        output.WriteLine($"{file}: {result.Error}");
        Assert.NotNull(result.Error);
        Assert.Matches("(?i)WARC|ARC|LZ4|empty", result.Error);
        Assert.Empty(sink.Hits);
        Assert.Single(sink.Files);
        Assert.Equal(result.Error, sink.Files[0].Error);
    }

    private static string Format(IReadOnlyDictionary<string, int> types) =>
        string.Join(' ', types.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}:{t.Value}"));
}
