using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace CrawlGrep.Core.Planning;

/// <summary>
/// A seeded random sample of a file list. Each name is ranked by a hash of the seed and the name, and the lowest
/// ranks are kept: the same seed picks the same files on any machine and .NET version (System.Random promises
/// neither), and a file picked from a list is still picked when other files join or leave the list.
/// </summary>
public static class FileSample
{
    /// <summary><paramref name="count"/> items of <paramref name="items"/> (all of them when there are fewer), in their original order.</summary>
    public static IReadOnlyList<string> Pick(IReadOnlyList<string> items, int count, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count >= items.Count) return items;
        return items.Select((item, index) => (Rank: Rank(item, seed), Index: index))
            .OrderBy(r => r.Rank).ThenBy(r => r.Index)
            .Take(count)
            .Select(r => r.Index)
            .Order()
            .Select(i => items[i])
            .ToList();
    }

    private static ulong Rank(string item, long seed)
    {
        Span<byte> input = stackalloc byte[256];
        int length = 8 + Encoding.UTF8.GetByteCount(item);
        if (length > input.Length) input = new byte[length];
        BinaryPrimitives.WriteInt64LittleEndian(input, seed);
        Encoding.UTF8.GetBytes(item, input[8..]);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input[..length], hash);
        return BinaryPrimitives.ReadUInt64LittleEndian(hash);
    }
}
