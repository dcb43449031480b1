using CrawlGrep.Core.Compression;
using CrawlGrep.Core.Generation;
using CrawlGrep.Core.Warc;
using CrawlGrep.Tests.Conformance;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Compression;

/// <summary>
/// Whole-member decoding through libdeflate and streaming through zlib-ng must read every gzip file alike: the same
/// records with the same compressed offsets and lengths, the same payload bytes, the same warnings at the same places.
/// </summary>
public sealed class InflateBackendTests(ITestOutputHelper output)
{
    private sealed record Read(List<(long Offset, long Length, string Type, int Hash)> Records, List<string> Warnings);

    private static Read ReadAll(byte[] file, bool wholeMembers)
    {
        var warnings = new List<string>();
        var records = new List<(long, long, string, int)>();
        DecoderWarning warn = (offset, message) => warnings.Add($"@{offset}: {message}");
        using var reader = new WarcReader(new GzipDecoder(new MemoryStream(file, writable: false), 0, warn, wholeMembers: wholeMembers), warn);
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

    [Fact]
    public void Every_real_gzip_file_reads_the_same_through_both_engines()
    {
        string? root = RealData.Require(output);
        if (root is null) return;
        string backend = GzipDecoderBackend();
        output.WriteLine($"gzip engine: {backend}");
        // The test command installs libdeflate; without it only one engine would be compared with itself.
        if (RealData.IsCi) Assert.True(backend == "libdeflate", "libdeflate0 is not installed (apt-get install libdeflate-tools)");
        int files = 0;
        foreach (var path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length < 2 || bytes[0] != 0x1f || bytes[1] != 0x8b) continue;
            var whole = ReadAll(bytes, wholeMembers: true);
            var streamed = ReadAll(bytes, wholeMembers: false);
            Assert.True(whole.Records.SequenceEqual(streamed.Records), $"{path}: records differ");
            Assert.True(whole.Warnings.SequenceEqual(streamed.Warnings), $"{path}: warnings differ:\n  {string.Join("\n  ", whole.Warnings)}\nvs\n  {string.Join("\n  ", streamed.Warnings)}");
            files++;
        }
        output.WriteLine($"{files} gzip files");
        Assert.True(files > 10);
    }

    [Theory]
    [InlineData(WarcCompression.Gzip)]
    [InlineData(WarcCompression.GzipWhole)]
    public void Generated_gzip_reads_the_same_through_both_engines_and_damage_is_reported_alike(WarcCompression compression)
    {
        var warc = new MemoryStream();
        new CorpusGenerator(new CorpusOptions { Seed = 9, TargetSize = 3 << 20, Kinds = CorpusKinds.Warc, Compression = compression })
            .Generate(warc, null, null);
        var bytes = warc.ToArray();
        Assert.Equal(ReadAll(bytes, true).Records, ReadAll(bytes, false).Records);
        // Damage in the middle of a member, then a cut-off end.
        var rng = new Random(4);
        for (int k = 0; k < 20; k++) bytes[bytes.Length / 3 + rng.Next(2000)] ^= 0x5A;
        bytes = bytes[..(bytes.Length - 777)];
        var whole = ReadAll(bytes, true);
        var streamed = ReadAll(bytes, false);
        Assert.Equal(streamed.Records, whole.Records);
        Assert.Equal(streamed.Warnings, whole.Warnings);
        Assert.NotEmpty(whole.Warnings);
    }

    private static string GzipDecoderBackend()
    {
        using var d = new GzipDecoder(new MemoryStream(), 0, (_, _) => { });
        return d.Backend;
    }
}
