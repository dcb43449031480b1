using System.Buffers.Binary;
using ZstdSharp;

namespace CrawlGrep.Tests.Conformance;

/// <summary>
/// Writes IIPC warc-zstd files: optionally a dictionary in a skippable frame (magic 0x184D2A5D,
/// little-endian size, then the dictionary) at the head, then one zstd frame per record.
/// </summary>
internal static class WarcZstd
{
    public const uint DictionaryFrameMagic = 0x184D2A5D;

    public sealed record Built(byte[] File, byte[]? Dictionary, long[] FrameOffsets, long[] FrameLengths);

    /// <summary>
    /// Compresses each of <paramref name="records"/> (decoded record bytes, in order) as its own frame.
    /// With <paramref name="withDictionary"/>, a dictionary is trained on the records and stored at the head.
    /// </summary>
    public static Built Build(IReadOnlyList<byte[]> records, bool withDictionary, int level = 3)
    {
        byte[]? dict = withDictionary ? TrainDictionary(records) : null;
        using var output = new MemoryStream();
        if (dict is not null)
        {
            Span<byte> head = stackalloc byte[8];
            BinaryPrimitives.WriteUInt32LittleEndian(head, DictionaryFrameMagic);
            BinaryPrimitives.WriteUInt32LittleEndian(head[4..], (uint)dict.Length);
            output.Write(head);
            output.Write(dict);
        }
        var offsets = new long[records.Count];
        var lengths = new long[records.Count];
        using var compressor = new Compressor(level);
        if (dict is not null) compressor.LoadDictionary(dict);
        for (int i = 0; i < records.Count; i++)
        {
            offsets[i] = output.Position;
            var frame = compressor.Wrap(records[i]);
            output.Write(frame);
            lengths[i] = frame.Length;
        }
        return new Built(output.ToArray(), dict, offsets, lengths);
    }

    /// <summary>
    /// Trains a dictionary with ZDICT. The trainer wants a few dozen samples and small files have few
    /// records, so the samples are the records cut into pieces (at least 16 of them): still the file's
    /// own text, and enough to train on.
    /// </summary>
    public static byte[] TrainDictionary(IReadOnlyList<byte[]> records)
    {
        long size = records.Sum(r => (long)r.Length);
        int piece = (int)Math.Clamp(size / 16, 32, 2048);
        var samples = new List<byte[]>();
        long total = 0;
        foreach (var r in records)
            for (int i = 0; i < r.Length && total < (1 << 20); i += piece)
            {
                var sample = r.AsSpan(i, Math.Min(piece, r.Length - i)).ToArray();
                samples.Add(sample);
                total += sample.Length;
            }
        int capacity = (int)Math.Clamp(total / 4, 1024, 32 * 1024);
        return DictBuilder.TrainFromBuffer(samples, capacity);
    }
}
