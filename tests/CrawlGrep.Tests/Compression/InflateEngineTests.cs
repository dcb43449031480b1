using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using CrawlGrep.Core.Compression;
using CrawlGrep.Core.Generation;
using CrawlGrep.Core.Warc;
using CrawlGrep.Tests.Conformance;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Compression;

/// <summary>
/// Every inflate engine (libdeflate and ISA-L whole members, zlib-ng streaming) must read every gzip file alike: the
/// same members with the same compressed offsets and lengths, the same bytes, the same warnings at the same places.
/// zlib-ng streaming, the engine every damaged member falls back to, is the reference.
/// </summary>
public sealed class InflateEngineTests(ITestOutputHelper output)
{
    // ---- reading through each engine ----

    private sealed record Read(List<(long Offset, long Length, string Type, int Hash)> Records, List<string> Warnings);

    /// <summary>Records as the WARC reader sees them through <paramref name="engine"/>.</summary>
    private static Read ReadAll(byte[] file, InflateEngine engine)
    {
        var warnings = new List<string>();
        var records = new List<(long, long, string, int)>();
        DecoderWarning warn = (offset, message) => warnings.Add($"@{offset}: {message}");
        using var reader = new WarcReader(Decoder(file, engine, warn), warn);
        while (reader.MoveNext())
        {
            int hash = reader.TryGetBlock(out var block) ? HashOf(block) : -1;
            string type = reader.Header.TypeName;
            reader.CompleteRecord();
            records.Add((reader.CompressedOffset, reader.CompressedLength, type, hash));
        }
        return new Read(records, warnings);
    }

    private static int HashOf(ReadOnlySpan<byte> bytes)
    {
        var h = new HashCode();
        h.AddBytes(bytes);
        return h.ToHashCode();
    }

    private static GzipDecoder Decoder(byte[] file, InflateEngine engine, DecoderWarning warn)
    {
        var d = new GzipDecoder(new MemoryStream(file, writable: false), 0, warn, wholeMembers: engine != InflateEngine.Zlib, engine: engine);
        Assert.Equal(engine, d.Engine);
        return d;
    }

    /// <summary>One member as the decoder hands it out: where it lies, whether it ended, its bytes' length and SHA-256; or a gap.</summary>
    private sealed record Unit(long Start, long End, bool Ended, long Length, string Sha256)
    {
        public static readonly Unit Gap = new(-1, -1, false, 0, "gap");
    }

    private sealed record Decoded(List<Unit> Units, List<string> Warnings);

    /// <summary>The decoder's steps through <paramref name="engine"/> into a buffer of <paramref name="destSize"/>, gathered per member.</summary>
    private static Decoded DecodeAll(byte[] file, InflateEngine engine, int destSize)
    {
        var warnings = new List<string>();
        var units = new List<Unit>();
        using var decoder = Decoder(file, engine, (offset, message) => warnings.Add($"@{offset}: {message}"));
        var dest = new byte[destSize];
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long length = 0, start = -1;
        while (true)
        {
            var step = decoder.Read(dest);
            if (step.EndOfInput) break;
            if (step.Discontinuity) { units.Add(Unit.Gap); continue; }
            if (step.Bytes > 0 || step.UnitEnded)
            {
                if (start >= 0) Assert.Equal(start, step.UnitStart); // a step never mixes two members
                start = step.UnitStart;
            }
            sha.AppendData(dest, 0, step.Bytes);
            length += step.Bytes;
            if (!step.UnitEnded) continue;
            units.Add(new Unit(step.UnitStart, step.UnitEnd, true, length, Convert.ToHexString(sha.GetHashAndReset())));
            length = 0;
            start = -1;
        }
        if (start >= 0) units.Add(new Unit(start, -1, false, length, Convert.ToHexString(sha.GetHashAndReset())));
        return new Decoded(units, warnings);
    }

    /// <summary>Decodes through <paramref name="engine"/> and through zlib-ng streaming, with a small and a large buffer (the
    /// engine's own buffer and the caller's), and asserts all four agree; returns the engine's reading.</summary>
    private static Decoded AssertDecodesLikeZlib(byte[] file, InflateEngine engine, string what)
    {
        Decoded? first = null;
        foreach (int destSize in new[] { 64 << 10, 1 << 20 })
        {
            var reference = DecodeAll(file, InflateEngine.Zlib, destSize);
            var decoded = DecodeAll(file, engine, destSize);
            Assert.True(reference.Units.SequenceEqual(decoded.Units),
                $"{what}, {InflateEngines.Name(engine)}, buffer {destSize}: members differ:\n  {string.Join("\n  ", decoded.Units)}\nvs zlib-ng\n  {string.Join("\n  ", reference.Units)}");
            Assert.True(reference.Warnings.SequenceEqual(decoded.Warnings),
                $"{what}, {InflateEngines.Name(engine)}, buffer {destSize}: warnings differ:\n  {string.Join("\n  ", decoded.Warnings)}\nvs zlib-ng\n  {string.Join("\n  ", reference.Warnings)}");
            if (first is not null) Assert.Equal(first.Units, decoded.Units);
            first ??= decoded;
        }
        return first!;
    }

    // ---- members made here ----

    private static byte[] Member(ReadOnlySpan<byte> content, CompressionLevel level = CompressionLevel.Optimal)
    {
        if (content.IsEmpty) return EmptyMember(); // GZipStream writes nothing at all for no content
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, level, leaveOpen: true)) gz.Write(content);
        return ms.ToArray();
    }

    /// <summary>Text that compresses like web pages do: words from a small vocabulary, some markup, numbers.</summary>
    private static byte[] PageText(int length, int seed)
    {
        var rng = new Random(seed);
        string[] words = ["the", "crawl", "<div class=\"item\">", "</div>\n", "href=\"https://example.org/", "archive", "web", "data", "2024", "grep"];
        var sb = new StringBuilder(length + 64);
        while (sb.Length < length) sb.Append(words[rng.Next(words.Length)]).Append(rng.Next(4) == 0 ? rng.Next(100000).ToString() : " ");
        return Encoding.ASCII.GetBytes(sb.ToString(0, length));
    }

    /// <summary>The gzip member of no content, as gzip writes it: header, an empty final fixed-Huffman block, CRC-32 0, length 0.</summary>
    private static byte[] EmptyMember() => [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>A member whose header carries FEXTRA, FNAME and FCOMMENT fields (as gzip, warcio and jwarc may write).</summary>
    private static byte[] MemberWithHeaderFields(byte[] content)
    {
        var plain = Member(content);
        var header = new List<byte> { 0x1f, 0x8b, 8, 0x04 | 0x08 | 0x10, 0, 0, 0, 0, 0, 3 };
        header.AddRange(new byte[] { 6, 0, (byte)'x', (byte)'y', 2, 0, 0xAB, 0xCD }); // XLEN 6: one subfield of 2 bytes
        header.AddRange(Encoding.ASCII.GetBytes("record.warc\0"));
        header.AddRange(Encoding.ASCII.GetBytes("a comment\0"));
        return [.. header, .. plain.AsSpan(10)];
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    // ---- the tests ----

    [Theory]
    [MemberData(nameof(InflateEngineRequirement.Engines), MemberType = typeof(InflateEngineRequirement))]
    public void Every_real_gzip_file_reads_as_through_zlib_ng(InflateEngine engine)
    {
        if (!InflateEngineRequirement.Require(engine, output)) return;
        string? root = RealData.Require(output);
        if (root is null) return;
        int files = 0;
        foreach (var path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length < 2 || bytes[0] != 0x1f || bytes[1] != 0x8b) continue;
            var read = ReadAll(bytes, engine);
            var reference = ReadAll(bytes, InflateEngine.Zlib);
            Assert.True(read.Records.SequenceEqual(reference.Records), $"{path}: records differ");
            Assert.True(read.Warnings.SequenceEqual(reference.Warnings),
                $"{path}: warnings differ:\n  {string.Join("\n  ", read.Warnings)}\nvs zlib-ng\n  {string.Join("\n  ", reference.Warnings)}");
            AssertDecodesLikeZlib(bytes, engine, path);
            files++;
        }
        output.WriteLine($"{files} gzip files through {InflateEngines.Name(engine)}");
        Assert.True(files > 10);
    }

    public static IEnumerable<object[]> EnginesAndCompressions =>
        from e in InflateEngines.All from c in new[] { WarcCompression.Gzip, WarcCompression.GzipWhole } select new object[] { e, c };

    [Theory]
    [MemberData(nameof(EnginesAndCompressions))]
    public void Generated_gzip_reads_alike_and_damage_is_reported_alike(InflateEngine engine, WarcCompression compression)
    {
        if (!InflateEngineRequirement.Require(engine, output)) return;
        var warc = new MemoryStream();
        new CorpusGenerator(new CorpusOptions { Seed = 9, TargetSize = 3 << 20, Kinds = CorpusKinds.Warc, Compression = compression })
            .Generate(warc, null, null);
        var bytes = warc.ToArray();
        Assert.Equal(ReadAll(bytes, InflateEngine.Zlib).Records, ReadAll(bytes, engine).Records);
        Assert.Empty(AssertDecodesLikeZlib(bytes, engine, "generated").Warnings);
        // Damage in the middle of a member, then a cut-off end.
        var rng = new Random(4);
        for (int k = 0; k < 20; k++) bytes[bytes.Length / 3 + rng.Next(2000)] ^= 0x5A;
        bytes = bytes[..(bytes.Length - 777)];
        var read = ReadAll(bytes, engine);
        var reference = ReadAll(bytes, InflateEngine.Zlib);
        Assert.Equal(reference.Records, read.Records);
        Assert.Equal(reference.Warnings, read.Warnings);
        Assert.NotEmpty(read.Warnings);
        AssertDecodesLikeZlib(bytes, engine, "generated, damaged");
    }

    [Theory]
    [MemberData(nameof(InflateEngineRequirement.Engines), MemberType = typeof(InflateEngineRequirement))]
    public void Multi_member_files_give_every_member_its_own_offsets_empty_and_header_field_members_included(InflateEngine engine)
    {
        if (!InflateEngineRequirement.Require(engine, output)) return;
        byte[][] contents = [PageText(5000, 1), [], PageText(40_000, 2), PageText(1, 3), [], PageText(200_000, 4)];
        byte[][] members =
        [
            Member(contents[0]), Member(contents[1]), MemberWithHeaderFields(contents[2]), Member(contents[3], CompressionLevel.NoCompression),
            Member(contents[4], CompressionLevel.SmallestSize), Member(contents[5], CompressionLevel.Fastest),
        ];
        var file = Concat(members);
        var decoded = AssertDecodesLikeZlib(file, engine, "multi-member");
        Assert.Empty(decoded.Warnings);
        Assert.Equal(members.Length, decoded.Units.Count);
        long offset = 0;
        for (int i = 0; i < members.Length; i++)
        {
            var unit = decoded.Units[i];
            Assert.Equal(offset, unit.Start);
            offset += members[i].Length;
            Assert.Equal(offset, unit.End);
            Assert.Equal(contents[i].Length, unit.Length);
            Assert.Equal(Convert.ToHexString(SHA256.HashData(contents[i])), unit.Sha256);
        }
    }

    [Theory]
    [MemberData(nameof(InflateEngineRequirement.Engines), MemberType = typeof(InflateEngineRequirement))]
    public void Huge_members_are_read_whole_or_streamed_without_loss(InflateEngine engine)
    {
        if (!InflateEngineRequirement.Require(engine, output)) return;
        // 3 MiB: more than the decoder's first buffer for whole members (it grows); 20 MiB: more than it decodes whole (streamed).
        byte[][] contents = [PageText(3 << 20, 5), PageText(20 << 20, 6), PageText(100, 7)];
        byte[][] members = [.. contents.Select(c => Member(c, CompressionLevel.Fastest))];
        var decoded = AssertDecodesLikeZlib(Concat(members), engine, "huge members");
        Assert.Empty(decoded.Warnings);
        Assert.Equal(contents.Select(c => (long)c.Length), decoded.Units.Select(u => u.Length));
        Assert.Equal(contents.Select(c => Convert.ToHexString(SHA256.HashData(c))), decoded.Units.Select(u => u.Sha256));
    }

    public static IEnumerable<object[]> EnginesAndTrailerBytes =>
        from e in InflateEngines.All from at in new[] { 8, 5, 4, 1 } select new object[] { e, at };

    /// <summary>A wrong CRC-32 (the trailer's first four bytes) or ISIZE (its last four) is damage: one warning at that
    /// member's offset, and the members after it are read.</summary>
    [Theory]
    [MemberData(nameof(EnginesAndTrailerBytes))]
    public void A_wrong_crc_or_length_in_a_trailer_is_one_warning_at_the_member_and_reading_goes_on(InflateEngine engine, int fromEnd)
    {
        if (!InflateEngineRequirement.Require(engine, output)) return;
        byte[][] contents = [PageText(3000, 8), PageText(30_000, 9), PageText(3000, 10)];
        byte[][] members = [.. contents.Select(c => Member(c))];
        members[1][^fromEnd] ^= 0x10;
        var decoded = AssertDecodesLikeZlib(Concat(members), engine, $"trailer byte -{fromEnd} damaged");
        output.WriteLine(string.Join("\n", decoded.Warnings));
        var warning = Assert.Single(decoded.Warnings);
        Assert.StartsWith($"@{members[0].Length}: corrupt gzip member", warning);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(contents[0])), decoded.Units[0].Sha256);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(contents[2])), decoded.Units[^1].Sha256);
        Assert.Equal(members[0].Length + members[1].Length, decoded.Units[^1].Start);
    }

    [Theory]
    [MemberData(nameof(InflateEngineRequirement.Engines), MemberType = typeof(InflateEngineRequirement))]
    public void A_member_cut_off_by_the_end_of_the_input_is_reported_as_truncated(InflateEngine engine)
    {
        if (!InflateEngineRequirement.Require(engine, output)) return;
        byte[][] members = [Member(PageText(3000, 11)), Member(PageText(50_000, 12))];
        foreach (int keep in new[] { 3, 10, members[1].Length / 2, members[1].Length - 4, members[1].Length - 1 })
        {
            var file = Concat(members[0], members[1][..keep]);
            var decoded = AssertDecodesLikeZlib(file, engine, $"cut after {keep} bytes of the second member");
            Assert.True(decoded.Units[0].Ended && decoded.Units[0].Length == 3000);
            Assert.Contains(decoded.Warnings, w => w.StartsWith($"@{members[0].Length}: ", StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(InflateEngineRequirement.Engines), MemberType = typeof(InflateEngineRequirement))]
    public void Empty_input_and_a_lone_empty_member_decode_to_nothing(InflateEngine engine)
    {
        if (!InflateEngineRequirement.Require(engine, output)) return;
        var none = AssertDecodesLikeZlib([], engine, "empty input");
        Assert.Empty(none.Units);
        Assert.Empty(none.Warnings);
        var empty = Member([]);
        var one = AssertDecodesLikeZlib(empty, engine, "one empty member");
        Assert.Equal([new Unit(0, empty.Length, true, 0, Convert.ToHexString(SHA256.HashData(ReadOnlySpan<byte>.Empty)))], one.Units);
        Assert.Empty(one.Warnings);
    }

    [Fact]
    public void The_default_engine_is_libdeflate_where_it_loads_and_a_forced_one_is_used_where_it_loads()
    {
        var fallback = InflateEngines.IsAvailable(InflateEngine.LibDeflate) ? InflateEngine.LibDeflate : InflateEngine.Zlib;
        Assert.Equal(fallback, InflateEngines.Choose(null));
        Assert.Equal(fallback, InflateEngines.Choose("no-such-engine"));
        Assert.Equal(InflateEngine.Zlib, InflateEngines.Choose("zlib"));
        Assert.Equal(InflateEngine.Zlib, InflateEngines.Choose(" ZLIB "));
        Assert.Equal(InflateEngines.IsAvailable(InflateEngine.Isal) ? InflateEngine.Isal : fallback, InflateEngines.Choose("isal"));
        Assert.Equal(fallback, InflateEngines.Choose("libdeflate"));
        foreach (var engine in InflateEngines.All)
            output.WriteLine($"{InflateEngines.Name(engine)}: {(InflateEngines.IsAvailable(engine) ? "loads" : "not installed")}");
        using var d = new GzipDecoder(new MemoryStream(), 0, (_, _) => { });
        Assert.Equal(InflateEngines.Default, d.Engine);
    }
}
