using System.Text;
using System.Text.RegularExpressions;
using CrawlGrep.Core.Matching;
using CrawlGrep.Core.Scanning;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Conformance;

/// <summary>
/// Search results on the genuine Common Crawl excerpts equal those of an independent reference:
/// whole-file GZipStream, a plain record splitter, and per-line counting (byte search for literals,
/// .NET Regex for case-insensitive and regex patterns), compared per record and pattern, offset by offset.
/// </summary>
public sealed class SearchReferenceTests(ITestOutputHelper output)
{
    private static readonly string[] Literals = ["Wikipedia", "the", "escopete", "<a href", "commoncrawl", "WARC", "é"];
    private static readonly string[] Regexes = [@"[0-9]{4}-[0-9]{2}-[0-9]{2}", @"https?://[a-z.]+", @"\bthe\b", "Wikipedia", @"<a href=""[^""]*"""];

    public static IEnumerable<object[]> CommonCrawlFiles() => RealData.Rows(() =>
    [
        "whirlwind-python/whirlwind.warc", "whirlwind-python/whirlwind.warc.gz",
        "whirlwind-python/whirlwind.warc.wet", "whirlwind-python/whirlwind.warc.wet.gz",
        "whirlwind-python/whirlwind.warc.wat", "whirlwind-python/whirlwind.warc.wat.gz",
        "resiliparse/warcfile.warc", "resiliparse/warcfile.warc.gz",
        "jwarc/cc.warc.gz",
    ]);

    /// <summary>The uncompressed excerpts (the .gz ones hold the same records).</summary>
    public static IEnumerable<object[]> PlainCommonCrawlFiles() =>
        CommonCrawlFiles().Where(row => !((string)row[0]).EndsWith(".gz", StringComparison.Ordinal));

    private enum Mode { Literal, IgnoreCase, Regex }

    [Theory]
    [MemberData(nameof(CommonCrawlFiles))]
    public void Conformance_search_equals_the_reference(string file)
    {
        if (RealData.Require(output) is null) return;
        string path = RealData.PathOf(file);
        byte[] decoded = ReferenceWarc.Decoded(File.ReadAllBytes(path));
        var refs = ReferenceWarc.Split(decoded);
        Assert.NotNull(refs);
        Assert.Equal(SourcesTable.Get(file).Records, refs!.Count);

        // The reference matches stored bytes: that is the browser's text only when no HTTP coding is left.
        foreach (var r in refs)
        {
            string head = ReferenceWarc.HttpHead(decoded, r);
            Assert.DoesNotMatch(@"(?im)^(Content-Encoding|Transfer-Encoding):", head);
        }

        CompareWithReference(path, decoded, refs, wat: file.Contains(".wat", StringComparison.Ordinal));
    }

    /// <summary>The same search on warc-zstd files built here from the excerpts (with and without dictionary).</summary>
    [Theory]
    [MemberData(nameof(PlainCommonCrawlFiles))]
    public void Conformance_search_on_warc_zstd_equals_the_reference(string file)
    {
        if (RealData.Require(output) is null) return;
        byte[] decoded = ReferenceWarc.Decoded(RealData.Bytes(file));
        var refs = ReferenceWarc.Split(decoded)!;
        var pieces = refs.Select((r, i) => decoded[r.Start..(i + 1 < refs.Count ? refs[i + 1].Start : decoded.Length)]).ToList();
        using var scratch = new ScratchDir();
        foreach (bool dict in new[] { true, false })
        {
            string path = scratch.Write($"{(dict ? "dict" : "nodict")}.warc.zst", WarcZstd.Build(pieces, dict).File);
            CompareWithReference(path, decoded, refs, wat: file.Contains(".wat", StringComparison.Ordinal));
        }
    }

    private void CompareWithReference(string path, byte[] decoded, List<RefRecord> refs, bool wat)
    {
        // WAT files hold metadata records: scanned with --type all. The rest: the default types in
        // every mode, and once more with every type (request, metadata and warcinfo blocks too).
        var runs = Enum.GetValues<Mode>().Select(m => (Mode: m, All: wat)).ToList();
        if (!wat) runs.Add((Mode.Literal, true));

        int total = 0;
        foreach (var (mode, all) in runs)
        {
            string[] patterns = mode == Mode.Regex ? Regexes : Literals;
            var scanned = refs.Where(r => all || r.Type is "response" or "resource" or "conversion").ToList();
            Assert.NotEmpty(scanned);
            var expected = Reference(decoded, scanned, patterns, mode);
            var actual = Engine(path, patterns, mode, all ? ["all"] : null);
            output.WriteLine($"{mode}{(all ? " (all types)" : "")}: {expected.Values.Sum(v => v.Count)} matches in {expected.Count} (record, pattern) pairs");
            foreach (var key in expected.Keys.Union(actual.Keys).Order())
            {
                var e = expected.GetValueOrDefault(key) ?? [];
                var a = actual.GetValueOrDefault(key) ?? [];
                Assert.True(e.SequenceEqual(a),
                    $"{mode} '{patterns[key.Pattern]}' in {key.RecordId}: reference {e.Count} at [{string.Join(',', e.Take(20))}], engine {a.Count} at [{string.Join(',', a.Take(20))}]");
            }
            total += expected.Values.Sum(v => v.Count);
        }
        Assert.True(total > 0, "the patterns should occur in every excerpt");
    }

    /// <summary>The hits the scanner reports, as match offsets per (record, pattern).</summary>
    private static Dictionary<(string RecordId, int Pattern), List<long>> Engine(string path, string[] patterns, Mode mode, string[]? types)
    {
        var options = new ScanOptions
        {
            Patterns = new PatternSet(patterns, new MatchOptions { FixedStrings = mode != Mode.Regex, IgnoreCase = mode == Mode.IgnoreCase }),
            Filter = new RecordFilter(types),
        };
        var sink = new CollectingSink();
        using (var scanner = new ArchiveScanner(options))
            Assert.Null(scanner.ScanFile(path, sink).Error);
        Assert.Empty(sink.Warnings);
        return sink.Hits.GroupBy(h => (h.RecordId!, h.PatternIndex))
                        .ToDictionary(g => g.Key, g => g.Select(h => h.MatchOffset).Order().ToList());
    }

    /// <summary>Match offsets (bytes into the payload) per (record, pattern), found line by line.</summary>
    private static Dictionary<(string RecordId, int Pattern), List<long>> Reference(byte[] decoded, List<RefRecord> records, string[] patterns, Mode mode)
    {
        var result = new Dictionary<(string, int), List<long>>();
        var regexes = patterns.Select(p => mode switch
        {
            Mode.IgnoreCase => new Regex(Regex.Escape(p), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant),
            Mode.Regex => new Regex(p, RegexOptions.CultureInvariant),
            _ => null,
        }).ToArray();
        foreach (var r in records)
        {
            byte[] payload = ReferenceWarc.Payload(decoded, r).ToArray();
            for (int pi = 0; pi < patterns.Length; pi++)
            {
                var offsets = new List<long>();
                int lineStart = 0;
                while (lineStart <= payload.Length)
                {
                    int nl = Array.IndexOf(payload, (byte)'\n', lineStart);
                    int lineEnd = nl < 0 ? payload.Length : nl;
                    var line = payload.AsSpan(lineStart, lineEnd - lineStart);
                    if (regexes[pi] is { } rx) RegexMatches(line, rx, lineStart, offsets);
                    else LiteralMatches(line, Encoding.UTF8.GetBytes(patterns[pi]), lineStart, offsets);
                    if (nl < 0) break;
                    lineStart = nl + 1;
                }
                if (offsets.Count > 0) result[(r.RecordId!, pi)] = offsets;
            }
        }
        return result;
    }

    /// <summary>Non-overlapping occurrences, left to right.</summary>
    private static void LiteralMatches(ReadOnlySpan<byte> line, byte[] literal, int lineStart, List<long> offsets)
    {
        int pos = 0;
        while (true)
        {
            int k = line[pos..].IndexOf(literal);
            if (k < 0) return;
            offsets.Add(lineStart + pos + k);
            pos += k + literal.Length;
        }
    }

    /// <summary>Regex over the line's text; each char index mapped back to the byte where its character starts.</summary>
    private static void RegexMatches(ReadOnlySpan<byte> line, Regex rx, int lineStart, List<long> offsets)
    {
        // byteOf[c] = offset in the line of the UTF-8 sequence that produced UTF-16 unit c (invalid bytes → U+FFFD each).
        var byteOf = new List<int>(line.Length + 1);
        var text = new StringBuilder(line.Length);
        int pos = 0;
        while (pos < line.Length)
        {
            System.Text.Rune.DecodeFromUtf8(line[pos..], out var rune, out int consumed);
            for (int u = 0; u < rune.Utf16SequenceLength; u++) byteOf.Add(pos);
            text.Append(rune.ToString());
            pos += consumed;
        }
        byteOf.Add(line.Length);
        string s = text.ToString();
        Assert.Equal(Encoding.UTF8.GetString(line), s); // the same replacement of invalid bytes as the decoder
        foreach (Match m in rx.Matches(s))
            offsets.Add(lineStart + byteOf[m.Index]);
    }
}
