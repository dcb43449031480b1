using System.Text;
using CrawlGrep.Core.Generation;
using CrawlGrep.Core.Matching;
using CrawlGrep.Core.Scanning;
using CrawlGrep.Tests.Conformance;

namespace CrawlGrep.Tests.Scanning;

/// <summary>A hit's match and context kept as UTF-8: the same text a string would have held, and no string until asked.</summary>
public sealed class HitTextTests
{
    public static TheoryData<byte[]> Texts => new()
    {
        Encoding.UTF8.GetBytes("plain ascii <b>the</b> text"),
        Encoding.UTF8.GetBytes("line one\r\nline two\nand three\r"),
        Encoding.UTF8.GetBytes("Grüße, 東京, 🙂 and the rest"),
        new byte[] { 0x74, 0x68, 0xE9, 0x20, 0x63, 0x61, 0x66, 0xE9 },             // Latin-1 "thé café": not UTF-8
        new byte[] { 0x61, 0xE2, 0x0A, 0x62, 0xF0, 0x9F, 0x99, 0x0D, 0xC3 },       // cut sequences next to CR and LF
        new byte[] { 0xED, 0xA0, 0x80, 0x41, 0xFF, 0xFE, 0xC0, 0xAF },              // a surrogate, bytes never valid, an overlong form
        Array.Empty<byte>(),
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void The_arena_keeps_what_decoding_to_a_string_would_keep(byte[] bytes)
    {
        using var arena = new TextArena();
        arena.AppendValid("x"u8, lineBreaksToSpaces: false);
        var context = arena.AppendValid(bytes, lineBreaksToSpaces: true);
        var match = arena.AppendValid(bytes, lineBreaksToSpaces: false);

        var decoded = Encoding.UTF8.GetString(bytes);
        Assert.Equal(decoded.Replace('\r', ' ').Replace('\n', ' '), Encoding.UTF8.GetString(arena.Written[context]));
        Assert.Equal(decoded, Encoding.UTF8.GetString(arena.Written[match]));
        Assert.True(System.Text.Unicode.Utf8.IsValid(arena.Written));
        Assert.Equal("x"u8.ToArray(), arena.Written[..1].ToArray());
    }

    [Fact]
    public void A_hit_is_the_same_whichever_way_its_text_was_given()
    {
        var asStrings = new Hit { File = "f.warc", Pattern = "the", Match = "thé", Context = "in thé line", MatchOffset = 7 };
        var asBytes = new Hit { File = "f.warc", Pattern = "the", MatchUtf8 = "thé"u8.ToArray(), ContextUtf8 = "in thé line"u8.ToArray(), MatchOffset = 7 };

        Assert.Equal(asStrings, asBytes);
        Assert.Equal(asStrings.GetHashCode(), asBytes.GetHashCode());
        Assert.Equal("thé", asBytes.Match);
        Assert.Equal("in thé line"u8.ToArray(), asStrings.ContextUtf8.ToArray());
        Assert.NotEqual(asStrings, asBytes with { Context = "in the line" });
        // The value given last is the value: a string given over bytes replaces them, and the other way round.
        Assert.Equal("other"u8.ToArray(), (asBytes with { Match = "other" }).MatchUtf8.ToArray());
        Assert.Equal("x", (asStrings with { ContextUtf8 = "x"u8.ToArray() }).Context);
    }

    [Fact]
    public void A_scan_hands_out_its_hits_text_as_utf8_without_strings()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"crawlgrep-hittext-{Guid.NewGuid():N}");
        try
        {
            var file = new CorpusGenerator(new CorpusOptions { Seed = 3, TargetSize = 4 << 20, Kinds = CorpusKinds.Warc, Compression = WarcCompression.Gzip })
                .Generate(dir).Files.Single().Path!;
            var options = new ScanOptions { Patterns = new PatternSet(["the"], new MatchOptions { IgnoreCase = true }), Filter = new RecordFilter(["all"]) };
            using var scanner = new ArchiveScanner(options);
            var sink = new CollectingSink();
            scanner.ScanFile(file, sink);

            Assert.True(sink.Hits.Count > 1000, $"{sink.Hits.Count} hits");
            foreach (var h in sink.Hits)
            {
                var match = h.MatchUtf8.Span;
                Assert.True(match.SequenceEqual("the"u8) || Ascii.EqualsIgnoreCase(match, "the"u8), Encoding.UTF8.GetString(match));
                Assert.True(h.ContextUtf8.Span.IndexOf(match) >= 0);
                Assert.True(h.ContextUtf8.Span.IndexOfAny((byte)'\r', (byte)'\n') < 0);
            }
            // A record's hits share one array for their text: one allocation per record, not two strings per hit.
            var first = sink.Hits.GroupBy(h => h.RecordOffset).First(g => g.Count() > 1).ToList();
            Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(first[0].ContextUtf8, out var a)
                        && System.Runtime.InteropServices.MemoryMarshal.TryGetArray(first[1].MatchUtf8, out var b) && ReferenceEquals(a.Array, b.Array));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Theory]
    [InlineData("crawl-data/CC-MAIN-2024-22/segments/1715971057216.39/warc/CC-MAIN-20240517233122-20240518023122-00000.warc.gz", "CC-MAIN-2024-22")]
    [InlineData("CC-MAIN-2024-22", "CC-MAIN-2024-22")]
    [InlineData("isPartOf: CC-MAIN-2023-50\r\noperator: Common Crawl Admin", "CC-MAIN-2023-50")]
    [InlineData("CC-MAIN-20240517233122-20240518023122-00000.warc.gz", null)]          // a file name's timestamp is not a crawl
    [InlineData("CC-MAIN-2024-223 then CC-MAIN-2019-04/", "CC-MAIN-2019-04")]          // a digit after it: the next one
    [InlineData("CC-MAIN-2024-2", null)]
    [InlineData("CC-MAIN-2024_22", null)]
    [InlineData("CC-MAIN-\u0662\u0660\u0662\u0664-22", null)]                          // Arabic-Indic digits are not a crawl's
    [InlineData("", null)]
    [InlineData(null, null)]
    public void A_crawl_name_is_found_where_it_stands_whole(string? text, string? crawl) =>
        Assert.Equal(crawl, HitText.Crawl(text is null ? null : System.Text.RegularExpressions.Regex.Unescape(text)));
}
