using System.Text;
using CrawlGrep.Core.Matching;
using CrawlGrep.Core.Scanning;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Conformance;

/// <summary>HTTP transfer- and content-encodings are undone before matching, so offsets are those of the decoded payload.</summary>
public sealed class PayloadDecodingTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> CompressionFiles() => RealData.Rows(() =>
        from coding in new[] { "none", "gzip", "brotli" }
        from ext in new[] { ".warc", ".warc.gz" }
        select $"webarchive-discovery/transfer_compression_{coding}{ext}");

    /// <summary>The stored HTML of the identity-coded capture: what the other two must decode to.</summary>
    private static byte[] PlainHtml()
    {
        byte[] data = RealData.Bytes("webarchive-discovery/transfer_compression_none.warc");
        var response = ReferenceWarc.Split(data)!.Single(r => r.Type == "response");
        Assert.DoesNotContain("Content-Encoding", ReferenceWarc.HttpHead(data, response), StringComparison.OrdinalIgnoreCase);
        return ReferenceWarc.Payload(data, response).ToArray();
    }

    [Theory]
    [MemberData(nameof(CompressionFiles))]
    public void Conformance_gzip_and_brotli_bodies_match_like_the_identity_one(string file)
    {
        if (RealData.Require(output) is null) return;
        byte[] html = PlainHtml();
        if (!file.Contains("_none", StringComparison.Ordinal))
        {
            // The stored body really is coded: matching it as stored would find nothing.
            byte[] data = ReferenceWarc.Decoded(RealData.Bytes(file));
            var response = ReferenceWarc.Split(data)!.Single(r => r.Type == "response");
            Assert.Matches(@"(?im)^Content-Encoding: (gzip|br)\r$", ReferenceWarc.HttpHead(data, response));
            Assert.True(ReferenceWarc.Payload(data, response).IndexOf("Extremely"u8) < 0);
        }
        // One word on the page's only paragraph, and one from the title.
        foreach (string word in new[] { "Extremely", "Simple page" })
        {
            var expected = AllIndexes(html, word);
            Assert.NotEmpty(expected);
            var (result, sink) = Scan(RealData.PathOf(file), word);
            Assert.Null(result.Error);
            Assert.Empty(sink.Warnings);
            Assert.All(sink.Hits, h => Assert.Equal("response", h.WarcType));
            Assert.Equal(expected, sink.Hits.Select(h => h.MatchOffset));
            Assert.All(sink.Hits, h => Assert.Equal(word, h.Match));
        }
    }

    private const string ChunkedFile = "warcio/example-iana.org-chunked.warc";

    /// <summary>The response's body, de-chunked here independently of the engine.</summary>
    private static (byte[] Data, RefRecord Response, byte[] Decoded, int Chunks) ChunkedSample()
    {
        byte[] data = RealData.Bytes(ChunkedFile);
        var response = ReferenceWarc.Split(data)!.Single(r => r.Type == "response");
        Assert.Contains("Transfer-Encoding: chunked", ReferenceWarc.HttpHead(data, response));
        byte[] body = ReferenceWarc.Payload(data, response).ToArray();
        var decoded = new List<byte>();
        int pos = 0, chunks = 0;
        while (true)
        {
            int eol = body.AsSpan(pos).IndexOf("\r\n"u8);
            string sizeText = Encoding.ASCII.GetString(body, pos, eol).Split(';')[0].Trim();
            int size = Convert.ToInt32(sizeText, 16);
            pos += eol + 2;
            if (size == 0) break;
            decoded.AddRange(body.AsSpan(pos, size).ToArray());
            pos += size + 2;
            chunks++;
        }
        return (data, response, decoded.ToArray(), chunks);
    }

    [Fact]
    public void Conformance_chunked_body_is_matched_without_chunk_framing()
    {
        if (RealData.Require(output) is null) return;
        var (_, _, decoded, chunks) = ChunkedSample();
        // The sample holds one 7223-byte chunk, so no word of it crosses a chunk boundary; the test
        // below re-chunks the same body to get one. Here: offsets are those of the de-chunked body.
        Assert.Equal(1, chunks);
        foreach (string word in new[] { "<!doctype html>", "Registries", "</html>" })
        {
            var (result, sink) = Scan(RealData.PathOf(ChunkedFile), word);
            Assert.Null(result.Error);
            Assert.Empty(sink.Warnings);
            Assert.Equal(AllIndexes(decoded, word), sink.Hits.Select(h => h.MatchOffset));
        }
        var (_, sizeLine) = Scan(RealData.PathOf(ChunkedFile), "001c37");
        Assert.Empty(sizeLine.Hits); // the chunk-size line is framing, not payload
    }

    [Fact]
    public void Conformance_word_across_a_chunk_boundary_is_found()
    {
        if (RealData.Require(output) is null) return;
        var (data, response, decoded, _) = ChunkedSample();
        const string word = "Registries";
        int at = decoded.AsSpan().IndexOf("Registries"u8);
        Assert.True(at > 0);

        // Re-chunk the same body: the first boundary cuts the word after "Regi", later ones fall every
        // 97 bytes (one with a chunk extension), then the zero chunk and an empty trailer.
        var body = new MemoryStream();
        void Chunk(int from, int length, string ext = "")
        {
            body.Write(Encoding.ASCII.GetBytes($"{length:x}{ext}\r\n"));
            body.Write(decoded, from, length);
            body.Write("\r\n"u8);
        }
        int pos = 0, n = 0;
        Chunk(0, at + 4);
        pos = at + 4;
        while (pos < decoded.Length)
        {
            int len = Math.Min(97, decoded.Length - pos);
            Chunk(pos, len, n++ == 3 ? ";name=value" : "");
            pos += len;
        }
        body.Write("0\r\n\r\n"u8);

        string head = ReferenceWarc.HttpHead(data, response);
        byte[] block = [.. Encoding.ASCII.GetBytes(head), .. body.ToArray()];
        string warcHeader = Encoding.ASCII.GetString(data, response.Start, response.BlockStart - response.Start);
        warcHeader = System.Text.RegularExpressions.Regex.Replace(warcHeader, @"Content-Length: \d+", $"Content-Length: {block.Length}");
        byte[] rebuilt = [.. data.AsSpan(0, response.Start), .. Encoding.ASCII.GetBytes(warcHeader), .. block, .. "\r\n\r\n"u8, .. data.AsSpan(response.End)];
        Assert.Equal(3, ReferenceWarc.Split(rebuilt)!.Count);

        using var scratch = new ScratchDir();
        string path = scratch.Write("rechunked.warc", rebuilt);
        var (result, sink) = Scan(path, word);
        Assert.Null(result.Error);
        Assert.Empty(sink.Warnings);
        Assert.Equal(AllIndexes(decoded, word), sink.Hits.Select(h => h.MatchOffset));
        Assert.Contains(sink.Hits, h => h.MatchOffset == at);

        // And across every boundary at once: the whole decoded body equals what the original gives.
        var (_, original) = Scan(RealData.PathOf(ChunkedFile), "a", fixedStrings: true);
        var (_, again) = Scan(path, "a", fixedStrings: true);
        Assert.Equal(original.Hits.Select(h => h.MatchOffset), again.Hits.Select(h => h.MatchOffset));
    }

    /// <summary>Byte offsets of the non-overlapping occurrences of <paramref name="word"/>.</summary>
    private static List<long> AllIndexes(byte[] data, string word)
    {
        byte[] w = Encoding.UTF8.GetBytes(word);
        var list = new List<long>();
        for (int pos = 0; ;)
        {
            int k = data.AsSpan(pos).IndexOf(w);
            if (k < 0) return list;
            list.Add(pos + k);
            pos += k + w.Length;
        }
    }

    private static (FileScanResult, CollectingSink) Scan(string path, string pattern, bool fixedStrings = true)
    {
        var sink = new CollectingSink();
        var options = new ScanOptions { Patterns = new PatternSet([pattern], new MatchOptions { FixedStrings = fixedStrings }) };
        using var scanner = new ArchiveScanner(options);
        return (scanner.ScanFile(path, sink), sink);
    }
}
