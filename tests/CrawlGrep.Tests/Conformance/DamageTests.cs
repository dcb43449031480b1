using System.Text;
using CrawlGrep.Core.Compression;
using CrawlGrep.Core.Matching;
using CrawlGrep.Core.Scanning;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Conformance;

/// <summary>
/// Damaged input, real and made here: every damaged place gives a warning that names its offset,
/// reading goes on, and every undamaged record (by WARC-Record-ID) and its hits still come out.
/// </summary>
public sealed class DamageTests(ITestOutputHelper output)
{
    private const string GzSample = "resiliparse/warcfile.warc.gz";
    private const string PlainSample = "resiliparse/warcfile.warc";

    // ---- the damaged files of the sample set ----

    [Fact]
    public void Conformance_clipped_gzip_member_warns_and_keeps_the_record()
    {
        if (RealData.Require(output) is null) return;
        byte[] bytes = RealData.Bytes("resiliparse/clipped.warc.gz");
        var result = EngineRead.ReadAll(bytes);
        Log(result);
        var record = Assert.Single(result.Records);
        Assert.Equal("response", record.TypeName);
        Assert.NotNull(record.RecordId);
        Assert.True(record.Truncated);
        Assert.True(record.BlockBytes > 0 && record.BlockBytes < record.ContentLength, "the readable part of the block is returned");
        Assert.NotEmpty(result.Warnings);
        // Tied to the damaged member: it starts at 0 and is the only one.
        Assert.All(result.Warnings, w => Assert.Equal(0, w.Offset));
        Assert.Contains(result.Warnings, w => w.Message.Contains("truncated", StringComparison.OrdinalIgnoreCase));

        // A word of the readable part is still found.
        var (res, sink) = Scan(RealData.PathOf("resiliparse/clipped.warc.gz"), "houstonpress");
        Assert.Null(res.Error);
        Assert.NotEmpty(sink.Hits);
        Assert.NotEmpty(sink.Warnings);
    }

    /// <summary>
    /// SOURCES.md calls this a "truncated final record", but the bytes say otherwise: the final request
    /// record is complete (it and its CRLF CRLF end exactly at the end of the file). The damaged record
    /// is the response before it, whose Content-Length (973) stops 2 bytes short of its block, leaving
    /// two stray NUL bytes before the record-ending CRLF CRLF. warcio's own test of this file describes it
    /// so ("content-length truncated on a response record") and expects these four records and one error.
    /// </summary>
    [Fact]
    public void Conformance_short_content_length_warns_and_keeps_all_records()
    {
        if (RealData.Require(output) is null) return;
        byte[] bytes = RealData.Bytes("warcio/example-trunc.warc");
        var result = EngineRead.ReadAll(bytes);
        Log(result);
        Assert.Equal(["warcinfo", "warcinfo", "response", "request"], result.Records.Select(r => r.TypeName));
        Assert.All(result.Records, r => Assert.NotNull(r.RecordId));
        var response = result.Records[2];
        var last = result.Records[3];
        Assert.Equal(bytes.Length, last.CompressedOffset + last.CompressedLength);
        // The one warning names the damaged response: its declared block does not end at a record
        // boundary, so the block is taken up to the next record (stray bytes included, nothing lost).
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(response.CompressedOffset, warning.Offset);
        Assert.Contains("Content-Length 973", warning.Message);
        Assert.Equal(last.CompressedOffset, response.CompressedOffset + response.CompressedLength);
    }

    [Fact]
    public void Conformance_corrupt_deflate_stream_warns_without_exception()
    {
        if (RealData.Require(output) is null) return;
        string path = RealData.PathOf("ia-web-commons/double-single-inflate-error.gz");
        var result = EngineRead.ReadAll(File.ReadAllBytes(path));
        Log(result);
        Assert.Empty(result.Records);
        var warning = Assert.Single(result.Warnings, w => w.Message.Contains("corrupt gzip", StringComparison.Ordinal));
        Assert.Equal(0, warning.Offset);

        var (res, sink) = Scan(path, "total");
        Assert.NotNull(res.Error);
        Assert.Contains(sink.Warnings, w => w.Message.Contains("corrupt gzip", StringComparison.Ordinal));
    }

    // ---- damage made here from a genuine Common Crawl excerpt ----

    /// <summary>The sample's members (range and Record-ID), checked against an independent gunzip + split.</summary>
    private (byte[] Bytes, List<ReadRecord> Members, List<RefRecord> Refs, byte[] Decoded) GzipSample()
    {
        byte[] bytes = RealData.Bytes(GzSample);
        var clean = EngineRead.ReadAll(bytes);
        byte[] decoded = ReferenceWarc.Gunzip(bytes);
        var refs = ReferenceWarc.Split(decoded)!;
        Assert.Empty(clean.Warnings);
        Assert.Equal(refs.Select(r => r.RecordId), clean.Ids);
        Assert.Equal(bytes.Length, clean.Records[^1].CompressedOffset + clean.Records[^1].CompressedLength);
        return (bytes, clean.Records, refs, decoded);
    }

    private static readonly byte[] Garbage = Encoding.ASCII.GetBytes(
        string.Concat(Enumerable.Repeat("this is not gzip, zstd or WARC data; ", 8)));

    [Fact]
    public void Conformance_garbage_between_gzip_members()
    {
        if (RealData.Require(output) is null) return;
        var (bytes, members, refs, decoded) = GzipSample();
        long at = members[20].CompressedOffset;
        byte[] damaged = [.. bytes.AsSpan(0, (int)at), .. Garbage, .. bytes.AsSpan((int)at)];
        CheckDamage(damaged, ".warc.gz", [at], refs, decoded, damagedRecords: []);
    }

    [Fact]
    public void Conformance_corrupt_bytes_inside_a_gzip_member()
    {
        if (RealData.Require(output) is null) return;
        var (bytes, members, refs, decoded) = GzipSample();
        // The largest response member: its deflate data is overwritten in the middle.
        int k = Enumerable.Range(0, members.Count).Where(i => members[i].TypeName == "response")
            .MaxBy(i => members[i].CompressedLength);
        var m = members[k];
        byte[] damaged = (byte[])bytes.Clone();
        int mid = (int)(m.CompressedOffset + m.CompressedLength / 2);
        for (int i = 0; i < 64; i++) damaged[mid + i] = (byte)(0xA5 ^ (i * 37));
        CheckDamage(damaged, ".warc.gz", [m.CompressedOffset], refs, decoded, damagedRecords: [k]);
    }

    [Fact]
    public void Conformance_file_cut_inside_the_last_gzip_member()
    {
        if (RealData.Require(output) is null) return;
        var (bytes, members, refs, decoded) = GzipSample();
        var last = members[^1];
        byte[] damaged = bytes[..(int)(last.CompressedOffset + last.CompressedLength / 2)];
        CheckDamage(damaged, ".warc.gz", [last.CompressedOffset], refs, decoded, damagedRecords: [members.Count - 1]);
    }

    [Fact]
    public void Conformance_garbage_between_plain_records()
    {
        if (RealData.Require(output) is null) return;
        byte[] bytes = RealData.Bytes(PlainSample);
        var refs = ReferenceWarc.Split(bytes)!;
        int at = refs[20].Start;
        byte[] damaged = [.. bytes.AsSpan(0, at), .. Garbage, .. "\r\n"u8, .. bytes.AsSpan(at)];
        CheckDamage(damaged, ".warc", [at], refs, bytes, damagedRecords: []);
    }

    [Fact]
    public void Conformance_several_damaged_places_in_one_gzip_file()
    {
        if (RealData.Require(output) is null) return;
        var (bytes, members, refs, decoded) = GzipSample();
        // Garbage before member 5, member 30 corrupted, the file cut inside the last member.
        var m30 = members[30];
        byte[] corrupted = (byte[])bytes.Clone();
        int mid = (int)(m30.CompressedOffset + m30.CompressedLength / 2);
        for (int i = 0; i < 32; i++) corrupted[mid + i] ^= 0x5A;
        var last = members[^1];
        long cut = last.CompressedOffset + last.CompressedLength / 2;
        long g = members[5].CompressedOffset;
        byte[] damaged = [.. corrupted.AsSpan(0, (int)g), .. Garbage, .. corrupted.AsSpan((int)g, (int)(cut - g))];
        long shift = Garbage.Length;
        CheckDamage(damaged, ".warc.gz", [g, m30.CompressedOffset + shift, last.CompressedOffset + shift], refs, decoded,
            damagedRecords: [30, members.Count - 1]);
    }

    [Fact]
    public void Conformance_damaged_warc_zstd()
    {
        if (RealData.Require(output) is null) return;
        byte[] plain = RealData.Bytes(PlainSample);
        var refs = ReferenceWarc.Split(plain)!;
        var pieces = refs.Select((r, i) => plain[r.Start..(i + 1 < refs.Count ? refs[i + 1].Start : plain.Length)]).ToList();
        var built = WarcZstd.Build(pieces, withDictionary: true);
        byte[] file = built.File;

        // Garbage before frame 10, frame 25 corrupted, the file cut inside the last frame.
        long g = built.FrameOffsets[10];
        long f25 = built.FrameOffsets[25];
        byte[] corrupted = (byte[])file.Clone();
        int mid = (int)(f25 + built.FrameLengths[25] / 2);
        for (int i = 0; i < 32; i++) corrupted[mid + i] ^= 0x5A;
        long last = built.FrameOffsets[^1];
        long cut = last + built.FrameLengths[^1] / 2;
        byte[] damaged = [.. corrupted.AsSpan(0, (int)g), .. Garbage, .. corrupted.AsSpan((int)g, (int)(cut - g))];
        long shift = Garbage.Length;
        Assert.Equal(ArchiveFormat.Zstd, EngineRead.Detect(damaged, out _));
        CheckDamage(damaged, ".warc.zst", [g, f25 + shift, last + shift], refs, plain, damagedRecords: [25, refs.Count - 1]);
    }

    /// <summary>
    /// Reads and scans a damaged file: one warning per damaged place, at that place's offset; every
    /// record outside <paramref name="damagedRecords"/> comes out, and so do its hits.
    /// </summary>
    private void CheckDamage(byte[] damaged, string extension, long[] places, List<RefRecord> refs, byte[] decoded, int[] damagedRecords)
    {
        var result = EngineRead.ReadAll(damaged);
        Log(result);
        Assert.NotNull(result.Format);

        Assert.Equal(places, result.Warnings.Select(w => w.Offset).ToArray());
        Assert.All(result.Warnings, w => Assert.InRange(w.Offset, 0, damaged.Length));

        var allIds = refs.Select(r => r.RecordId!).ToList();
        var undamaged = allIds.Where((_, i) => !damagedRecords.Contains(i)).ToList();
        var got = result.Ids.ToList();
        Assert.Empty(undamaged.Except(got));                 // every undamaged record is returned
        Assert.Empty(got.Except(allIds.Cast<string?>()));    // nothing invented
        Assert.Equal(got.Count, got.Distinct().Count());    // nothing twice

        // Hits: every undamaged response whose payload holds the word is reported, before and after the damage.
        const string word = "html";
        var expectedHitRecords = refs.Where((r, i) => !damagedRecords.Contains(i) && r.Type == "response"
                                                     && ReferenceWarc.Payload(decoded, r).IndexOf("html"u8) >= 0)
                                     .Select(r => r.RecordId).ToHashSet();
        Assert.True(expectedHitRecords.Count >= 5);
        using var scratch = new ScratchDir();
        var (res, sink) = Scan(scratch.Write("damaged" + extension, damaged), word);
        Assert.Null(res.Error);
        Assert.Empty(expectedHitRecords.Except(sink.Hits.Select(h => h.RecordId)));
        Assert.Equal(places.Length, sink.Warnings.Count(w => places.Contains(w.Offset)));
    }

    private static (FileScanResult Result, CollectingSink Sink) Scan(string path, string pattern)
    {
        var sink = new CollectingSink();
        var options = new ScanOptions { Patterns = new PatternSet([pattern], new MatchOptions { FixedStrings = true }) };
        using var scanner = new ArchiveScanner(options);
        return (scanner.ScanFile(path, sink), sink);
    }

    private void Log(ReadResult result)
    {
        output.WriteLine($"{result.Records.Count} records, {result.Warnings.Count} warnings");
        foreach (var w in result.Warnings) output.WriteLine($"  warning {w}");
    }
}
