using System.Buffers.Binary;
using ZstdSharp;

namespace CrawlGrep.Core.Generation;

/// <summary>The dictionary frame of IIPC warc-zstd: a zstd skippable frame with magic 0x184D2A5D at the head of the file.</summary>
public static class WarcZstdDictionary
{
    /// <summary>Magic number of the dictionary frame (written little-endian: 5D 2A 4D 18).</summary>
    public const uint FrameMagic = 0x184D2A5D;

    /// <summary>Trains a zstd dictionary on sample records (ZDICT, single-threaded, so deterministic).</summary>
    public static byte[] Train(IEnumerable<byte[]> samples, int capacity = 112_640)
        => DictBuilder.TrainFromBuffer(samples, capacity);

    /// <summary>Writes <paramref name="dictionary"/> uncompressed as a dictionary frame; returns the frame length.</summary>
    public static int WriteFrame(Stream output, ReadOnlySpan<byte> dictionary)
    {
        Span<byte> head = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(head, FrameMagic);
        BinaryPrimitives.WriteUInt32LittleEndian(head[4..], (uint)dictionary.Length);
        output.Write(head);
        output.Write(dictionary);
        return 8 + dictionary.Length;
    }
}
