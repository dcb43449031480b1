using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CrawlGrep.Core.Generation;

namespace CrawlGrep.Tests.Generation;

public class CorpusGeneratorTests
{
    private const long Small = 600 * 1024;

    private sealed record Output(CorpusResult Result, byte[]? Warc, byte[]? Wet, byte[]? Wat)
    {
        public GeneratedFile File(CorpusKinds kind) => Result.Files.Single(f => f.Kind == kind);
    }

    private static Output Generate(CorpusOptions options, CorpusKinds kinds = CorpusKinds.All)
    {
        var warc = (kinds & CorpusKinds.Warc) != 0 ? new MemoryStream() : null;
        var wet = (kinds & CorpusKinds.Wet) != 0 ? new MemoryStream() : null;
        var wat = (kinds & CorpusKinds.Wat) != 0 ? new MemoryStream() : null;
        var result = new CorpusGenerator(options).Generate(warc, wet, wat);
        return new Output(result, warc?.ToArray(), wet?.ToArray(), wat?.ToArray());
    }

    private static byte[]? DictionaryOf(byte[] file) =>
        BinaryPrimitives.ReadUInt32LittleEndian(file) == WarcZstdDictionary.FrameMagic
            ? file.AsSpan(8, (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(4))).ToArray()
            : null;

    private static List<RecordBytes.Parsed> Records(byte[] file, GeneratedFile info, WarcCompression compression)
    {
        byte[]? dictionary = compression == WarcCompression.Zstd ? DictionaryOf(file) : null;
        int head = dictionary is null ? 0 : 8 + dictionary.Length;
        return RecordBytes.AssertOneRecordPerUnit(file, info.Index, compression, dictionary, head);
    }

    [Theory]
    [InlineData(WarcCompression.Gzip)]
    [InlineData(WarcCompression.Zstd)]
    public void Same_seed_gives_byte_identical_files(WarcCompression compression)
    {
        var options = new CorpusOptions { Seed = 7, TargetSize = Small, Compression = compression };
        var a = Generate(options);
        var b = Generate(options);
        Assert.Equal(a.Warc, b.Warc);
        Assert.Equal(a.Wet, b.Wet);
        Assert.Equal(a.Wat, b.Wat);
        Assert.Equal(a.Result.PlantedCounts, b.Result.PlantedCounts);
    }

    [Fact]
    public void Different_seeds_give_different_files()
    {
        var a = Generate(new CorpusOptions { Seed = 1, TargetSize = Small }, CorpusKinds.Warc | CorpusKinds.Wet);
        var b = Generate(new CorpusOptions { Seed = 2, TargetSize = Small }, CorpusKinds.Warc | CorpusKinds.Wet);
        Assert.NotEqual(a.Warc, b.Warc);
        Assert.NotEqual(a.Wet, b.Wet);
    }

    [Theory]
    [InlineData(WarcCompression.Gzip)]
    [InlineData(WarcCompression.Plain)]
    [InlineData(WarcCompression.Zstd)]
    public void Every_record_unit_decodes_alone_to_exactly_one_record(WarcCompression compression)
    {
        var o = Generate(new CorpusOptions { Seed = 3, TargetSize = Small, Compression = compression });
        var warc = Records(o.Warc!, o.File(CorpusKinds.Warc), compression);
        var wet = Records(o.Wet!, o.File(CorpusKinds.Wet), compression);
        var wat = Records(o.Wat!, o.File(CorpusKinds.Wat), compression);
        Assert.Equal(1 + 3 * o.Result.Pages, warc.Count);
        Assert.Equal(1 + o.Result.HtmlPages, wet.Count);
        Assert.Equal(1 + warc.Count, wat.Count);
        if (compression == WarcCompression.Zstd)
        {
            Assert.NotNull(DictionaryOf(o.Warc!));
            Assert.NotNull(DictionaryOf(o.Wat!));
        }
    }

    [Fact]
    public void Zstd_without_dictionary_starts_with_a_plain_frame()
    {
        var o = Generate(new CorpusOptions { TargetSize = 100 * 1024, Compression = WarcCompression.Zstd, ZstdDictionary = false }, CorpusKinds.Warc);
        Assert.Null(DictionaryOf(o.Warc!));
        Records(o.Warc!, o.File(CorpusKinds.Warc), WarcCompression.Zstd);
    }

    [Fact]
    public void Whole_file_gzip_decodes_to_the_same_records_as_plain()
    {
        var whole = Generate(new CorpusOptions { TargetSize = 200 * 1024, Compression = WarcCompression.GzipWhole }, CorpusKinds.Warc | CorpusKinds.Wet);
        var plain = Generate(new CorpusOptions { TargetSize = 200 * 1024, Compression = WarcCompression.Plain }, CorpusKinds.Warc | CorpusKinds.Wet);
        foreach (var (p, w) in new[] { (plain.Warc!, whole.Warc!), (plain.Wet!, whole.Wet!) })
        {
            var expected = RecordBytes.ParseAll(p);
            var actual = RecordBytes.ParseAll(RecordBytes.Gunzip(w));
            Assert.Equal(expected.Count, actual.Count);
            Assert.EndsWith(".gz", actual[0]["WARC-Filename"]); // the warcinfo names its own file
            for (int i = 1; i < expected.Count; i++)
            {
                Assert.Equal(expected[i].Fields, actual[i].Fields);
                Assert.Equal(expected[i].Block, actual[i].Block);
            }
        }
    }

    [Fact]
    public void Digests_are_correct()
    {
        var o = Generate(new CorpusOptions { Seed = 4, TargetSize = Small });
        int checkedBlocks = 0, checkedPayloads = 0;
        foreach (var (bytes, kind) in new[] { (o.Warc!, CorpusKinds.Warc), (o.Wet!, CorpusKinds.Wet), (o.Wat!, CorpusKinds.Wat) })
        {
            foreach (var r in Records(bytes, o.File(kind), WarcCompression.Gzip))
            {
                Assert.Equal(r["WARC-Block-Digest"], Sha1Base32(r.Block));
                checkedBlocks++;
                if (r["WARC-Payload-Digest"] is not { } payloadDigest) continue;
                byte[] payload = r["WARC-Type"] is "response" or "request"
                    ? r.Block.AsSpan(r.Block.AsSpan().IndexOf("\r\n\r\n"u8) + 4).ToArray()
                    : r.Block;
                Assert.Equal(payloadDigest, Sha1Base32(payload));
                checkedPayloads++;
            }
        }
        Assert.True(checkedBlocks > 100 && checkedPayloads > 100);
    }

    /// <summary>Independent of WarcDigest: RFC 4648 base32 via a bit loop.</summary>
    private static string Sha1Base32(byte[] data)
    {
        byte[] hash = SHA1.HashData(data);
        var sb = new StringBuilder("sha1:");
        for (int bit = 0; bit < hash.Length * 8; bit += 5)
        {
            int v = 0;
            for (int k = 0; k < 5; k++) v = (v << 1) | ((hash[(bit + k) / 8] >> (7 - (bit + k) % 8)) & 1);
            sb.Append("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[v]);
        }
        return sb.ToString();
    }

    [Fact]
    public void Warc_has_common_crawl_shape()
    {
        var o = Generate(new CorpusOptions { Seed = 5, TargetSize = 2 * 1024 * 1024 }, CorpusKinds.Warc);
        var records = Records(o.Warc!, o.File(CorpusKinds.Warc), WarcCompression.Gzip);
        var info = records[0];
        Assert.Equal("warcinfo", info["WARC-Type"]);
        Assert.Equal(CorpusGenerator.FileName(CorpusKinds.Warc, WarcCompression.Gzip), info["WARC-Filename"]);
        string infoText = Encoding.UTF8.GetString(info.Block);
        Assert.Contains("isPartOf: CC-MAIN-2024-22\r\n", infoText);
        Assert.Contains("software: Apache Nutch", infoText);
        Assert.Contains("format: WARC File Format 1.1\r\n", infoText);

        var ids = new HashSet<string>();
        var idPattern = new Regex("^<urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}>$");
        var hosts = new HashSet<string>();
        var statuses = new HashSet<string>();
        var mimes = new HashSet<string>();
        string lastDate = "";
        bool nonAscii = false;
        for (int i = 1; i < records.Count; i += 3)
        {
            var (req, resp, meta) = (records[i], records[i + 1], records[i + 2]);
            Assert.Equal(("request", "response", "metadata"), (req["WARC-Type"], resp["WARC-Type"], meta["WARC-Type"]));
            Assert.Equal(req["WARC-Record-ID"], resp["WARC-Concurrent-To"]);
            Assert.Equal(resp["WARC-Record-ID"], meta["WARC-Concurrent-To"]);
            Assert.All(new[] { req, resp, meta }, r =>
            {
                Assert.Matches(idPattern, r["WARC-Record-ID"]!);
                Assert.True(ids.Add(r["WARC-Record-ID"]!));
                Assert.Equal(info["WARC-Record-ID"], r["WARC-Warcinfo-ID"]);
                Assert.Equal(req["WARC-Target-URI"], r["WARC-Target-URI"]);
                Assert.Equal(req["WARC-Date"], r["WARC-Date"]);
            });
            Assert.True(string.CompareOrdinal(req["WARC-Date"], lastDate) >= 0, "WARC-Date must not decrease");
            lastDate = req["WARC-Date"]!;
            Assert.Equal("application/http; msgtype=request", req["Content-Type"]);
            Assert.Equal("application/http; msgtype=response", resp["Content-Type"]);
            var uri = new Uri(req["WARC-Target-URI"]!);
            hosts.Add(uri.Host);
            string http = Encoding.UTF8.GetString(resp.Block);
            Assert.StartsWith("HTTP/1.1 ", http);
            statuses.Add(http[9..12]);
            mimes.Add(resp["WARC-Identified-Payload-Type"]!);
            Assert.StartsWith("GET ", Encoding.ASCII.GetString(req.Block));
            Assert.Contains($"\r\nHost: {uri.Host}\r\n", Encoding.ASCII.GetString(req.Block));
            Assert.StartsWith("fetchTimeMs: ", Encoding.ASCII.GetString(meta.Block));
            // The HTTP Content-Length is the payload's.
            int headerEnd = resp.Block.AsSpan().IndexOf("\r\n\r\n"u8);
            var contentLength = Regex.Match(http[..headerEnd], @"(?im)^content-length: (\d+)\r?$");
            Assert.Equal(resp.Block.Length - headerEnd - 4, int.Parse(contentLength.Groups[1].Value));
            if (http.Contains("charset=utf-8", StringComparison.OrdinalIgnoreCase) && http.Any(c => c > 127)) nonAscii = true;
        }
        Assert.True(hosts.Count > 30, $"{hosts.Count} hosts");
        Assert.Contains("200", statuses);
        Assert.Contains("404", statuses);
        Assert.Contains("301", statuses);
        Assert.Contains("text/html", mimes);
        Assert.True(mimes.Contains("application/pdf") || mimes.Contains("image/jpeg"));
        Assert.True(nonAscii);
        Assert.Equal(o.Result.HtmlPages, records.Count(r => r["WARC-Type"] == "response" && Encoding.ASCII.GetString(r.Block, 0, 15) == "HTTP/1.1 200 OK" && r["WARC-Identified-Payload-Type"] == "text/html"));
    }

    [Fact]
    public void Wet_and_wat_point_at_the_warc_records()
    {
        var o = Generate(new CorpusOptions { Seed = 6, TargetSize = Small });
        var warcInfo = o.File(CorpusKinds.Warc);
        var warc = Records(o.Warc!, warcInfo, WarcCompression.Gzip);
        var byId = warc.Select((r, i) => (r, i)).ToDictionary(x => x.r["WARC-Record-ID"]!, x => x.i);

        var wet = Records(o.Wet!, o.File(CorpusKinds.Wet), WarcCompression.Gzip);
        Assert.Equal("warcinfo", wet[0]["WARC-Type"]);
        Assert.Contains("isPartOf: CC-MAIN-2024-22", Encoding.UTF8.GetString(wet[0].Block));
        foreach (var conv in wet.Skip(1))
        {
            Assert.Equal("conversion", conv["WARC-Type"]);
            Assert.Equal("text/plain", conv["Content-Type"]);
            Assert.Matches("^[a-z]{3}(,[a-z]{3})?$", conv["WARC-Identified-Content-Language"]!);
            var resp = warc[byId[conv["WARC-Refers-To"]!]];
            Assert.Equal("response", resp["WARC-Type"]);
            Assert.Equal(resp["WARC-Target-URI"], conv["WARC-Target-URI"]);
            string text = Encoding.UTF8.GetString(conv.Block);
            Assert.DoesNotContain("<", text);
            // The first line is the page title.
            string html = Encoding.UTF8.GetString(resp.Block);
            string title = Regex.Match(html, "<title>(.*?)</title>").Groups[1].Value;
            Assert.Equal(title, text[..text.IndexOf('\n')]);
        }

        var wat = Records(o.Wat!, o.File(CorpusKinds.Wat), WarcCompression.Gzip);
        Assert.Equal("warcinfo", wat[0]["WARC-Type"]);
        Assert.Equal(warc.Count, wat.Count - 1);
        for (int i = 1; i < wat.Count; i++)
        {
            var m = wat[i];
            Assert.Equal("metadata", m["WARC-Type"]);
            Assert.Equal("application/json", m["Content-Type"]);
            var target = warc[i - 1];
            Assert.Equal(target["WARC-Record-ID"], m["WARC-Refers-To"]);
            using var json = JsonDocument.Parse(m.Block);
            var container = json.RootElement.GetProperty("Container");
            Assert.Equal(warcInfo.Name, container.GetProperty("Filename").GetString());
            long offset = long.Parse(container.GetProperty("Offset").GetString()!);
            Assert.Equal(warcInfo.Index[i - 1].Offset, offset);
            var gz = container.GetProperty("Gzip-Metadata");
            Assert.Equal(warcInfo.Index[i - 1].Length - 18, long.Parse(gz.GetProperty("Deflate-Length").GetString()!));
            Assert.Equal(warcInfo.Index[i - 1].UncompressedLength, long.Parse(gz.GetProperty("Inflated-Length").GetString()!));
            // The record at that offset is the one referred to.
            var pointed = RecordBytes.ParseOne(RecordBytes.Gunzip(o.Warc.AsSpan((int)offset, (int)warcInfo.Index[i - 1].Length)));
            Assert.Equal(m["WARC-Refers-To"], pointed["WARC-Record-ID"]);
            var envelope = json.RootElement.GetProperty("Envelope");
            Assert.Equal(target["WARC-Type"], envelope.GetProperty("WARC-Header-Metadata").GetProperty("WARC-Type").GetString());
            Assert.Equal(target["WARC-Block-Digest"], envelope.GetProperty("Payload-Metadata").GetProperty("Block-Digest").GetString());
            if (target["WARC-Type"] == "response" && target["WARC-Identified-Payload-Type"] == "text/html"
                && Encoding.ASCII.GetString(target.Block, 0, 12) == "HTTP/1.1 200")
            {
                var html = envelope.GetProperty("Payload-Metadata").GetProperty("HTTP-Response-Metadata").GetProperty("HTML-Metadata");
                Assert.True(html.GetProperty("Links").GetArrayLength() > 0);
                Assert.False(string.IsNullOrEmpty(html.GetProperty("Head").GetProperty("Title").GetString()));
            }
        }
    }

    [Fact]
    public void Planted_counts_match_what_is_in_the_files()
    {
        var o = Generate(new CorpusOptions { Seed = 1, TargetSize = 3 * 1024 * 1024 });
        var counts = o.Result.PlantedCounts;
        byte[] warc = RecordBytes.Gunzip(o.Warc!);
        byte[] wet = RecordBytes.Gunzip(o.Wet!);
        byte[] wat = RecordBytes.Gunzip(o.Wat!);
        Assert.True(counts[PlantedTokens.Crawlgrep] > 0);
        Assert.True(counts[PlantedTokens.Email] > 0);
        Assert.True(counts[PlantedTokens.Phone] > 0);
        foreach (var text in new[] { warc, wet })
        {
            Assert.Equal(counts[PlantedTokens.Crawlgrep], RecordBytes.Count(text, "crawlgrep"));
            Assert.Equal(counts[PlantedTokens.CrawlgrepMixedCase], RecordBytes.Count(text, "CrawlGrep"));
            Assert.Equal(counts[PlantedTokens.Phone], RecordBytes.Count(text, PlantedTokens.PhonePrefix));
            Assert.Equal(counts[PlantedTokens.LoremIpsum], RecordBytes.Count(text, "Lorem ipsum"));
            // Plus the operator address in the warcinfo record.
            Assert.Equal(counts[PlantedTokens.Email] + 1, Regex.Matches(Encoding.UTF8.GetString(text), PlantedTokens.EmailPattern).Count);
        }
        Assert.Equal(0, RecordBytes.Count(wat, "crawlgrep"));
        Assert.Equal(0, RecordBytes.Count(wat, PlantedTokens.PhonePrefix));
        Assert.Single(Regex.Matches(Encoding.UTF8.GetString(wat), PlantedTokens.EmailPattern));
    }

    [Fact]
    public void A_file_is_the_same_whichever_other_files_are_generated()
    {
        var options = new CorpusOptions { Seed = 8, TargetSize = Small };
        var all = Generate(options);
        Assert.Equal(all.Warc, Generate(options, CorpusKinds.Warc).Warc);
        Assert.Equal(all.Wet, Generate(options, CorpusKinds.Wet).Wet);
        Assert.Equal(all.Wat, Generate(options, CorpusKinds.Wat).Wat);
    }

    [Fact]
    public void Size_target_is_met_by_at_most_one_page_more()
    {
        foreach (long target in new[] { 0L, 50_000L, 1_000_000L })
        {
            var o = Generate(new CorpusOptions { TargetSize = target, Compression = WarcCompression.Plain }, CorpusKinds.Warc);
            Assert.Equal(o.Warc!.Length, o.Result.WarcUncompressedBytes);
            Assert.True(o.Result.Pages >= 1);
            Assert.True(o.Warc.Length >= target);
            Assert.True(o.Warc.Length < Math.Max(target, 1000) + 80 * 1024, $"{o.Warc.Length} for {target}");
        }
    }

    [Fact]
    public void Generates_common_crawl_named_files_into_a_directory()
    {
        string dir = Path.Combine(Path.GetTempPath(), "crawlgrep-gen-" + Guid.NewGuid().ToString("N"));
        try
        {
            var result = new CorpusGenerator(new CorpusOptions { TargetSize = 100 * 1024, Kinds = CorpusKinds.Warc | CorpusKinds.Wat })
                .Generate(dir);
            Assert.Equal(
                ["CC-MAIN-20240517233122-20240518023122-00000.warc.gz", "CC-MAIN-20240517233122-20240518023122-00000.warc.wat.gz"],
                Directory.GetFiles(dir).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray());
            Assert.All(result.Files, f => Assert.Equal(new FileInfo(f.Path!).Length, f.Bytes));
            Assert.Equal("CC-MAIN-20240517233122-20240518023122-00000.warc.wet.zst", CorpusGenerator.FileName(CorpusKinds.Wet, WarcCompression.Zstd));
            Assert.Equal("CC-MAIN-20240517233122-20240518023122-00000.warc", CorpusGenerator.FileName(CorpusKinds.Warc, WarcCompression.Plain));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
