using System.Buffers.Binary;
using System.Text;
using CrawlGrep.Core.Generation;
using ZstdSharp;

namespace CrawlGrep.Tests.Generation;

public class WarcRecordWriterTests
{
    private static List<KeyValuePair<string, string>> Fields(string type, string id) =>
    [
        new("WARC-Type", type),
        new("WARC-Date", "2024-05-18T01:58:10Z"),
        new("WARC-Record-ID", $"<urn:uuid:{id}>"),
        new("Content-Length", "999"), // replaced by the real length
        new("Content-Type", "application/warc-fields"),
    ];

    private static byte[] Block(int i) => Encoding.UTF8.GetBytes(
        string.Concat(Enumerable.Range(0, 20 + i * 37).Select(k => $"line {k} of record {i}: café 日本語\n")));

    [Fact]
    public void Plain_record_has_crlf_header_exact_length_and_trailer()
    {
        var ms = new MemoryStream();
        using (var w = new WarcRecordWriter(ms, WarcCompression.Plain, leaveOpen: true))
        {
            var r = w.Write(Fields("resource", "00000000-0000-4000-8000-000000000001"), "héllo"u8);
            Assert.Equal(0, r.Offset);
            Assert.Equal(ms.Length, r.Length);
            Assert.Equal(6, r.BlockLength);
        }
        string expected =
            "WARC/1.0\r\nWARC-Type: resource\r\nWARC-Date: 2024-05-18T01:58:10Z\r\n" +
            "WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-000000000001>\r\nContent-Length: 6\r\n" +
            "Content-Type: application/warc-fields\r\n\r\nhéllo\r\n\r\n";
        Assert.Equal(expected, Encoding.UTF8.GetString(ms.ToArray()));
    }

    [Fact]
    public void Content_length_is_appended_when_missing_and_bad_fields_are_rejected()
    {
        var ms = new MemoryStream();
        using var w = new WarcRecordWriter(ms, WarcCompression.Plain, leaveOpen: true);
        w.Write([new("WARC-Type", "resource")], "abc"u8);
        Assert.Equal("WARC/1.0\r\nWARC-Type: resource\r\nContent-Length: 3\r\n\r\nabc\r\n\r\n", Encoding.UTF8.GetString(ms.ToArray()));
        Assert.Throws<ArgumentException>(() => w.Write([new("WARC-Type", "a\r\nb")], "x"u8));
        Assert.Throws<ArgumentException>(() => w.Write([new("Bad:Name", "v")], "x"u8));
    }

    [Fact]
    public void Gzip_members_decode_alone_to_exactly_one_record_each()
    {
        var ms = new MemoryStream();
        var index = new List<WrittenRecord>();
        var blocks = new List<byte[]>();
        using (var w = new WarcRecordWriter(ms, WarcCompression.Gzip, leaveOpen: true))
        {
            for (int i = 0; i < 12; i++)
            {
                blocks.Add(Block(i));
                index.Add(w.Write(Fields("resource", $"00000000-0000-4000-8000-{i:D12}"), blocks[^1]));
            }
            Assert.Equal(ms.Length, w.Position);
        }
        byte[] file = ms.ToArray();
        var records = RecordBytes.AssertOneRecordPerUnit(file, index, WarcCompression.Gzip);
        for (int i = 0; i < records.Count; i++)
        {
            Assert.Equal(blocks[i], records[i].Block);
            Assert.Equal(blocks[i].Length.ToString(), records[i]["Content-Length"]);
            Assert.Equal(3, file[index[i].Offset + 9]); // OS byte: Unix, whatever the platform
        }
        // The whole file is also one valid multi-member gzip stream.
        Assert.Equal(index.Sum(r => r.UncompressedLength), RecordBytes.Gunzip(file).Length);
    }

    [Fact]
    public void Zstd_file_starts_with_dictionary_frame_and_frames_decode_with_it()
    {
        var samples = Enumerable.Range(0, 200).Select(Block).ToList();
        byte[] dictionary = WarcZstdDictionary.Train(samples, 16 * 1024);
        var ms = new MemoryStream();
        var index = new List<WrittenRecord>();
        int head;
        using (var w = new WarcRecordWriter(ms, WarcCompression.Zstd, zstdDictionary: dictionary, leaveOpen: true))
        {
            head = w.DictionaryFrameLength;
            for (int i = 0; i < 10; i++)
                index.Add(w.Write(Fields("resource", $"00000000-0000-4000-8000-{i:D12}"), Block(i)));
        }
        byte[] file = ms.ToArray();
        Assert.Equal(WarcZstdDictionary.FrameMagic, BinaryPrimitives.ReadUInt32LittleEndian(file));
        Assert.Equal((uint)dictionary.Length, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(4)));
        Assert.Equal(8 + dictionary.Length, head);
        Assert.Equal(dictionary, file.AsSpan(8, dictionary.Length).ToArray());
        var records = RecordBytes.AssertOneRecordPerUnit(file, index, WarcCompression.Zstd, dictionary, head);
        for (int i = 0; i < records.Count; i++) Assert.Equal(Block(i), records[i].Block);

        // Without the dictionary a frame does not decode.
        using var bare = new Decompressor();
        Assert.ThrowsAny<Exception>(() => bare.Unwrap(file.AsSpan((int)index[3].Offset, (int)index[3].Length)).ToArray());
    }

    [Fact]
    public void Zstd_without_dictionary_has_plain_frames()
    {
        var ms = new MemoryStream();
        var index = new List<WrittenRecord>();
        using (var w = new WarcRecordWriter(ms, WarcCompression.Zstd, leaveOpen: true))
            for (int i = 0; i < 3; i++) index.Add(w.Write(Fields("resource", $"00000000-0000-4000-8000-{i:D12}"), Block(i)));
        byte[] file = ms.ToArray();
        Assert.Equal(0xFD2FB528u, BinaryPrimitives.ReadUInt32LittleEndian(file));
        RecordBytes.AssertOneRecordPerUnit(file, index, WarcCompression.Zstd);
    }

    [Fact]
    public void Whole_file_gzip_is_one_member_holding_every_record()
    {
        var ms = new MemoryStream();
        var index = new List<WrittenRecord>();
        using (var w = new WarcRecordWriter(ms, WarcCompression.GzipWhole, leaveOpen: true))
            for (int i = 0; i < 5; i++) index.Add(w.Write(Fields("resource", $"00000000-0000-4000-8000-{i:D12}"), Block(i)));
        byte[] file = ms.ToArray();
        Assert.All(index, r => Assert.Equal(-1, r.Length));
        Assert.Equal(3, file[9]);
        byte[] all = RecordBytes.Gunzip(file);
        var records = RecordBytes.ParseAll(all);
        Assert.Equal(5, records.Count);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(Block(i), records[i].Block);
            Assert.Equal(index[i].UncompressedOffset, index.Take(i).Sum(r => r.UncompressedLength));
        }
        // One member: the file's trailer covers everything (a multi-member file's last trailer covers its last member only).
        Assert.Equal((uint)all.Length, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(file.Length - 4)));
        Assert.Equal(RecordBytes.Crc32(all), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(file.Length - 8)));
    }

    [Fact]
    public void Raw_records_are_written_as_given_in_their_own_member()
    {
        var ms = new MemoryStream();
        WrittenRecord a, b;
        using (var w = new WarcRecordWriter(ms, WarcCompression.Gzip, leaveOpen: true))
        {
            a = w.WriteRaw("WARC/1.0\r\nContent-Length: 100\r\n\r\ntruncated"u8);
            b = w.WriteRaw("garbage"u8);
        }
        byte[] file = ms.ToArray();
        Assert.Equal("WARC/1.0\r\nContent-Length: 100\r\n\r\ntruncated", Encoding.ASCII.GetString(RecordBytes.Gunzip(file.AsSpan(0, (int)a.Length))));
        Assert.Equal("garbage", Encoding.ASCII.GetString(RecordBytes.Gunzip(file.AsSpan((int)b.Offset, (int)b.Length))));
    }

    [Fact]
    public void Digest_is_base32_sha1_as_common_crawl_writes_it()
    {
        Assert.Equal(WarcDigest.EmptySha1, WarcDigest.Sha1([]));
        // The request block of the real CC record in whirlwind.warc.gz has this digest (field WARC-Block-Digest).
        string request = "GET /wiki/Escopete HTTP/1.1\r\nUser-Agent: CCBot/2.0 (https://commoncrawl.org/faq/)\r\n" +
                         "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\nAccept-Language: en-US,en;q=0.5\r\n" +
                         "Accept-Encoding: br,gzip\r\nHost: an.wikipedia.org\r\nConnection: Keep-Alive\r\n\r\n";
        Assert.Equal("sha1:IE7NEN3QEJHUCYRRGVMHDDW3BEHFRQ6V", WarcDigest.Sha1(Encoding.ASCII.GetBytes(request)));
    }
}
