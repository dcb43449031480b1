using System.IO.Compression;
using System.Text;
using CrawlGrep.Core.Generation;
using ZstdSharp;

namespace CrawlGrep.Tests.Generation;

/// <summary>Test helpers: split generated files into records independently of the writer, and parse WARC headers.</summary>
internal static class RecordBytes
{
    public static byte[] Gunzip(ReadOnlySpan<byte> member)
    {
        using var input = new MemoryStream(member.ToArray());
        using var gz = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        gz.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>Decompressed bytes of each record unit listed in <paramref name="index"/>, each decoded on its own.</summary>
    public static List<byte[]> DecodeEach(byte[] file, IReadOnlyList<WrittenRecord> index, WarcCompression compression, byte[]? dictionary = null)
    {
        var result = new List<byte[]>();
        using var zstd = new Decompressor();
        if (dictionary is not null) zstd.LoadDictionary(dictionary);
        foreach (var r in index)
        {
            var slice = file.AsSpan((int)r.Offset, (int)r.Length);
            result.Add(compression switch
            {
                WarcCompression.Gzip => Gunzip(slice),
                WarcCompression.Zstd => zstd.Unwrap(slice).ToArray(),
                WarcCompression.Plain => slice.ToArray(),
                _ => throw new NotSupportedException(),
            });
        }
        return result;
    }

    /// <summary>
    /// Asserts that the index tiles the file after <paramref name="head"/> bytes (dictionary frame) with no gap or
    /// overlap, and that each unit decodes on its own to exactly one whole record.
    /// </summary>
    public static List<Parsed> AssertOneRecordPerUnit(byte[] file, IReadOnlyList<WrittenRecord> index, WarcCompression compression,
        byte[]? dictionary = null, int head = 0)
    {
        long expected = head;
        foreach (var r in index)
        {
            Assert.Equal(expected, r.Offset);
            expected += r.Length;
        }
        Assert.Equal(file.Length, expected);
        var decoded = DecodeEach(file, index, compression, dictionary);
        var records = new List<Parsed>();
        for (int i = 0; i < decoded.Count; i++)
        {
            var p = ParseOne(decoded[i]);
            Assert.Equal(decoded[i].Length, p.TotalLength); // exactly one record in the unit
            Assert.Equal(index[i].UncompressedLength, decoded[i].Length);
            Assert.Equal(index[i].BlockLength, p.Block.Length);
            if (compression == WarcCompression.Gzip) Assert.Equal(Crc32(decoded[i]), index[i].GzipCrc32);
            records.Add(p);
        }
        return records;
    }

    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
        }
        return ~crc;
    }

    /// <summary>One parsed record: header fields (in order) and block.</summary>
    public sealed record Parsed(List<KeyValuePair<string, string>> Fields, byte[] Block, int TotalLength)
    {
        public string? this[string name] => Fields.FirstOrDefault(f => f.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
    }

    /// <summary>Parses the record at the start of <paramref name="data"/> strictly (CRLF lines, exact Content-Length, CRLFCRLF after the block).</summary>
    public static Parsed ParseOne(ReadOnlySpan<byte> data)
    {
        Assert.True(data.StartsWith("WARC/1.0\r\n"u8), "record must start with WARC/1.0");
        int headerEnd = data.IndexOf("\r\n\r\n"u8);
        Assert.True(headerEnd > 0);
        string header = Encoding.UTF8.GetString(data[..headerEnd]);
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var line in header.Split("\r\n").Skip(1))
        {
            int colon = line.IndexOf(':');
            Assert.True(colon > 0, $"bad header line '{line}'");
            fields.Add(new(line[..colon], line[(colon + 1)..].Trim()));
        }
        var parsed = new Parsed(fields, [], 0);
        long length = long.Parse(parsed["Content-Length"]!);
        int blockStart = headerEnd + 4;
        Assert.True(blockStart + length + 4 <= data.Length, "block shorter than Content-Length");
        byte[] block = data.Slice(blockStart, (int)length).ToArray();
        Assert.True(data.Slice(blockStart + (int)length, 4).SequenceEqual("\r\n\r\n"u8), "record must end with CRLFCRLF");
        return parsed with { Block = block, TotalLength = blockStart + (int)length + 4 };
    }

    /// <summary>Parses a whole uncompressed WARC stream record by record.</summary>
    public static List<Parsed> ParseAll(byte[] data)
    {
        var list = new List<Parsed>();
        int pos = 0;
        while (pos < data.Length)
        {
            var p = ParseOne(data.AsSpan(pos));
            list.Add(p);
            pos += p.TotalLength;
        }
        return list;
    }

    public static int Count(byte[] haystack, string needle)
    {
        byte[] n = Encoding.UTF8.GetBytes(needle);
        int count = 0, pos = 0;
        while (true)
        {
            int i = haystack.AsSpan(pos).IndexOf(n);
            if (i < 0) return count;
            count++;
            pos += i + n.Length;
        }
    }
}
