using System.IO.Compression;
using System.Text;
using CrawlGrep.Core.Generation;
using CrawlGrep.Core.Matching;
using CrawlGrep.Core.Scanning;
using CrawlGrep.Tests.Conformance;

namespace CrawlGrep.Tests.Scanning;

/// <summary>
/// Records too large to hold are streamed in windows; a line longer than a window is matched in overlapping pieces.
/// No match is lost or doubled at a window edge, and every hit of the long line is on one line.
/// </summary>
public sealed class LargeRecordTests
{
    private const int Window = 8 << 20, Overlap = 64 << 10, Piece = Window - Overlap;

    private static byte[] RecordFile(byte[] payload)
    {
        var file = new MemoryStream();
        using (var w = new WarcRecordWriter(file, WarcCompression.Gzip, level: 1, leaveOpen: true))
            w.Write([new("WARC-Type", "resource"), new("WARC-Record-ID", "<urn:uuid:huge>"), new("WARC-Date", "2024-05-18T00:00:00Z"),
                     new("WARC-Target-URI", "http://example.com/huge"), new("Content-Type", "text/plain")], payload);
        return file.ToArray();
    }

    private static byte[] ResponseFile(string httpHead, byte[] body)
    {
        var file = new MemoryStream();
        using (var w = new WarcRecordWriter(file, WarcCompression.Gzip, level: 1, leaveOpen: true))
            w.Write([new("WARC-Type", "response"), new("WARC-Record-ID", "<urn:uuid:huge-response>"), new("WARC-Date", "2024-05-18T00:00:00Z"),
                     new("WARC-Target-URI", "http://example.com/huge"), new("Content-Type", "application/http; msgtype=response")],
                    [.. Encoding.ASCII.GetBytes(httpHead), .. body]);
        return file.ToArray();
    }

    /// <summary>Lines of 'c' (a window and more), with "xx NEEDLE" on the line at <paramref name="needleAt"/>.</summary>
    private static byte[] Lines(int length, int needleAt)
    {
        var body = new byte[length];
        body.AsSpan().Fill((byte)'c');
        for (int i = 99; i < length; i += 100) body[i] = (byte)'\n';
        "xx NEEDLE"u8.CopyTo(body.AsSpan(needleAt));
        return body;
    }

    private static byte[] GzipStored(byte[] data)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.NoCompression, leaveOpen: true)) gz.Write(data);
        return ms.ToArray();
    }

    [Fact]
    public void A_large_response_streams_from_after_its_HTTP_head_and_has_the_HTTP_media_type()
    {
        int needleAt = 9_437_700; // a line start, past the first window
        var sink = ScanSink(ResponseFile("HTTP/1.1 200 OK\r\nContent-Type: Text/HTML; charset=utf-8\r\n\r\n", Lines(Window + (2 << 20), needleAt)), "NEEDLE");
        var hit = Assert.Single(sink.Hits);
        Assert.Equal(needleAt + 3, hit.MatchOffset);
        Assert.Equal(needleAt, hit.LineOffset);
        Assert.Equal("text/html", hit.ContentType);
        Assert.Empty(sink.Warnings);
    }

    [Fact]
    public void A_large_encoded_response_is_decoded_whole_and_matched()
    {
        int needleAt = 9_437_700; // a line start, past the first window
        var body = GzipStored(Lines(Window + (2 << 20), needleAt));
        var sink = ScanSink(ResponseFile("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Encoding: gzip\r\n\r\n", body), "NEEDLE");
        var hit = Assert.Single(sink.Hits);
        Assert.Equal(needleAt + 3, hit.MatchOffset);
        Assert.Equal(needleAt, hit.LineOffset);
        Assert.Equal("text/plain", hit.ContentType);
        Assert.Empty(sink.Warnings);
    }

    [Fact]
    public void An_encoded_response_beyond_the_decoding_cap_is_matched_up_to_it_with_a_warning()
    {
        var body = GzipStored(Lines(17 << 20, 1000));
        var sink = ScanSink(ResponseFile("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n", body), "NEEDLE");
        Assert.Equal(1003, Assert.Single(sink.Hits).MatchOffset);
        Assert.Contains(sink.Warnings, w => w.Message.Contains("encoded body larger than"));
    }

    private static List<Hit> Scan(byte[] file, params string[] patterns) => ScanSink(file, patterns).Hits;

    private static CollectingSink ScanSink(byte[] file, params string[] patterns)
    {
        var path = Path.Combine(Path.GetTempPath(), $"crawlgrep-large-{Guid.NewGuid():N}.warc.gz");
        File.WriteAllBytes(path, file);
        try
        {
            using var scanner = new ArchiveScanner(new ScanOptions { Patterns = new PatternSet(patterns, new MatchOptions()), Filter = new RecordFilter(["all"]) });
            var sink = new CollectingSink();
            var r = scanner.ScanFile(path, sink);
            Assert.Null(r.Error);
            return sink;
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_line_longer_than_a_window_is_matched_in_overlapping_pieces_with_no_match_lost_or_doubled()
    {
        var payload = new byte[40 << 20];
        payload.AsSpan().Fill((byte)'a');
        var needle = "NEEDLEzz"u8.ToArray();
        // Across the first window's end, just before and at the first report boundary, across later boundaries, at the end.
        long[] at = [0, Piece - 3, Window - 3, 2L * Piece, 2L * Piece + Overlap - 4, 3L * Piece - 1, 3L * Piece + 17, payload.Length - needle.Length];
        foreach (long p in at) needle.CopyTo(payload.AsSpan((int)p));
        var hits = Scan(RecordFile(payload), "NEEDLE", "zza{3}");
        Assert.Equal(at.Order(), hits.Where(h => h.PatternIndex == 0).Select(h => h.MatchOffset).Order());
        var expectedTails = at.Where(p => p + needle.Length + 3 <= payload.Length).Select(p => p + 6).Order();
        Assert.Equal(expectedTails, hits.Where(h => h.PatternIndex == 1).Select(h => h.MatchOffset).Order());
        Assert.All(hits, h => Assert.Equal(0, h.LineOffset)); // one line: grep -c counts 1
    }

    [Fact]
    public void Windows_that_end_on_newlines_lose_nothing_either()
    {
        var sb = new StringBuilder();
        var expected = new List<long>();
        var rng = new Random(2);
        while (sb.Length < (36 << 20))
        {
            if (rng.Next(50) == 0) { expected.Add(sb.Length + 3); sb.Append("xx NEEDLE yy\n"); }
            else if (rng.Next(2000) == 0) sb.Append('b', 9 << 20).Append('\n'); // a line longer than a window in between
            else sb.Append('c', rng.Next(1, 400)).Append('\n');
        }
        var hits = Scan(RecordFile(Encoding.ASCII.GetBytes(sb.ToString())), "NEEDLE");
        Assert.Equal(expected, hits.Select(h => h.MatchOffset));
        Assert.All(hits, h => Assert.Equal(h.MatchOffset - 3, h.LineOffset));
    }
}
