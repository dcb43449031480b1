using CrawlGrep.Core.Compression;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Conformance;

/// <summary>
/// A record's (CompressedOffset, CompressedLength) is what the hit table stores and what a range
/// request fetches again: read alone, the range must decode to that one record, and in per-record
/// files the ranges must tile the file.
/// </summary>
public sealed class RecordRangeTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> PerRecordGzipFiles() =>
        RealData.Rows(() => SourcesTable.Entries.Where(e => e.IsPerRecordGzip).Select(e => e.File));

    /// <summary>Plain and gzip samples the reference splitter frames cleanly: the sources of the zstd files.</summary>
    public static IEnumerable<object[]> CleanWarcFiles() =>
        RealData.Rows(() => SourcesTable.Entries.Where(e => e.IsWarc && !e.File.EndsWith(".bad", StringComparison.Ordinal))
            .Where(e => ReferenceWarc.Split(ReferenceWarc.Decoded(RealData.Bytes(e.File))) is { } r && r.Count == e.Records)
            .Select(e => e.File));

    public static IEnumerable<object[]> CleanPlainFiles() =>
        RealData.Rows(() => CleanWarcFiles().Select(row => (string)row[0])
            .Where(f => EngineRead.Detect(RealData.Bytes(f), out _) == ArchiveFormat.Plain));

    [Fact]
    public void Conformance_enough_files_for_the_range_tests()
    {
        if (RealData.Require(output) is null) return;
        Assert.True(PerRecordGzipFiles().Count() >= 30);
        Assert.True(CleanWarcFiles().Count() >= 40);
        Assert.True(CleanPlainFiles().Count() >= 20);
    }

    [Theory]
    [MemberData(nameof(PerRecordGzipFiles))]
    public void Conformance_gzip_record_ranges_tile_the_file_and_decode_alone(string file)
    {
        if (RealData.Require(output) is null) return;
        string path = RealData.PathOf(file);
        byte[] bytes = File.ReadAllBytes(path);
        var whole = EngineRead.ReadAll(bytes);
        Assert.Equal(ArchiveFormat.Gzip, whole.Format);
        Assert.Empty(whole.Warnings);
        Assert.Equal(SourcesTable.Get(file).Records, whole.Records.Count);
        CheckRanges(path, ArchiveFormat.Gzip, whole, firstOffset: 0, fileLength: bytes.Length, dictionary: null);
    }

    [Theory]
    [MemberData(nameof(CleanWarcFiles))]
    public void Conformance_warc_zstd_built_from_the_sample_has_exact_frame_ranges(string file)
    {
        if (RealData.Require(output) is null) return;
        byte[] decoded = ReferenceWarc.Decoded(RealData.Bytes(file));
        var refs = ReferenceWarc.Split(decoded)!;
        // Frame i holds decoded bytes [start_i, start_i+1): every byte of the file goes into a frame.
        var pieces = refs.Select((r, i) => decoded[r.Start..(i + 1 < refs.Count ? refs[i + 1].Start : decoded.Length)]).ToList();

        using var scratch = new ScratchDir();
        // ZDICT cannot train on a few dozen bytes (warcio/standard-torture-missing.warc is 54): tiny
        // files get only the variant without dictionary.
        bool trainable = decoded.Length >= 1024;
        foreach (bool withDictionary in trainable ? new[] { true, false } : [false])
        {
            var built = WarcZstd.Build(pieces, withDictionary);
            string path = scratch.Write(withDictionary ? "dict.warc.zst" : "nodict.warc.zst", built.File);

            var whole = EngineRead.ReadAll(built.File);
            Assert.Equal(ArchiveFormat.Zstd, whole.Format);
            Assert.Empty(whole.Warnings);
            Assert.Equal(refs.Select(r => r.RecordId), whole.Ids);
            Assert.Equal(built.FrameOffsets, whole.Records.Select(r => r.CompressedOffset));
            Assert.Equal(built.FrameLengths, whole.Records.Select(r => r.CompressedLength));

            byte[]? dict;
            using (var head = File.OpenRead(path)) dict = ZstdDecoder.ReadDictionary(head);
            Assert.Equal(withDictionary, dict is not null);
            if (dict is not null) Assert.Equal(built.Dictionary, dict);
            long firstOffset = dict is null ? 0 : 8 + dict.Length;
            CheckRanges(path, ArchiveFormat.Zstd, whole, firstOffset, built.File.Length, dict);
        }
    }

    [Theory]
    [MemberData(nameof(CleanPlainFiles))]
    public void Conformance_plain_record_ranges_tile_the_file_and_decode_alone(string file)
    {
        if (RealData.Require(output) is null) return;
        byte[] bytes = RealData.Bytes(file);
        Assert.Equal(ArchiveFormat.Plain, EngineRead.Detect(bytes, out _));
        var whole = EngineRead.ReadAll(bytes);
        var refs = ReferenceWarc.Split(bytes)!;
        Assert.Equal(refs.Select(r => r.RecordId), whole.Ids);
        // Plain records start at their "WARC/" line (newlines before the first one belong to no record).
        Assert.Equal(refs.Select(r => (long)r.BlockStart - HeaderLength(bytes, r)), whole.Records.Select(r => r.CompressedOffset));
        // A plain record's range ends after the CRLF CRLF that closes it; extra newlines some writers
        // add between records belong to no record, so the ranges tile up to such newline-only gaps.
        CheckRanges(RealData.PathOf(file), ArchiveFormat.Plain, whole, whole.Records[0].CompressedOffset, bytes.Length, null, bytes);
    }

    private static long SkipNewlines(byte[] bytes, long pos)
    {
        while (pos < bytes.Length && bytes[pos] is (byte)'\r' or (byte)'\n') pos++;
        return pos;
    }

    private static long HeaderLength(byte[] bytes, RefRecord r)
    {
        int s = r.Start;
        while (bytes[s] is (byte)'\r' or (byte)'\n') s++;
        return r.BlockStart - s;
    }

    /// <summary>Ranges tile [firstOffset, fileLength), and each range read alone is its record.</summary>
    /// <param name="plainBytes">For plain files: gaps of CR/LF bytes between ranges are allowed.</param>
    private void CheckRanges(string path, ArchiveFormat format, ReadResult whole, long firstOffset, long fileLength, byte[]? dictionary, byte[]? plainBytes = null)
    {
        long expectedOffset = firstOffset;
        foreach (var r in whole.Records)
        {
            Assert.True(r.CompressedLength > 0, $"record {r.RecordId} at {r.CompressedOffset}: length {r.CompressedLength}");
            if (plainBytes is not null) expectedOffset = SkipNewlines(plainBytes, expectedOffset);
            Assert.Equal(expectedOffset, r.CompressedOffset);
            expectedOffset = r.CompressedOffset + r.CompressedLength;

            var alone = EngineRead.ReadRange(path, format, r.CompressedOffset, r.CompressedLength, dictionary);
            Assert.Empty(alone.Warnings);
            var single = Assert.Single(alone.Records);
            Assert.Equal(r.RecordId, single.RecordId);
            Assert.Equal(r.TypeName, single.TypeName);
            Assert.Equal(r.CompressedOffset, single.CompressedOffset);
            Assert.Equal(r.CompressedLength, single.CompressedLength);
            Assert.False(single.Truncated);
        }
        if (plainBytes is not null) expectedOffset = SkipNewlines(plainBytes, expectedOffset);
        Assert.Equal(fileLength, expectedOffset);
        output.WriteLine($"{whole.Records.Count} ranges tile [{firstOffset}, {fileLength})");
    }
}
