using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CrawlGrep.Core.Matching.Prefilters;

/// <summary>
/// One literal: two rare bytes of it are compared 32 positions at a time (for -i, letters folded by
/// OR 0x20), and only positions where both agree are verified.
/// </summary>
public sealed class SingleLiteralSearcher : ILiteralSearcher
{
    private readonly byte[] _literal;
    private readonly byte[] _folded;          // letters lower-cased when ignoring case, else the literal
    private readonly int _i1, _i2;            // offsets of the two anchor bytes
    private readonly byte _mask1, _mask2;     // 0x20 for letters (fold), 0 otherwise

    public SingleLiteralSearcher(byte[] literal, bool ignoreAsciiCase)
    {
        if (literal.Length == 0) throw new ArgumentException("empty literal", nameof(literal));
        _literal = literal;
        IgnoreAsciiCase = ignoreAsciiCase && literal.Any(IsLetter);
        _folded = literal.Select(b => IsLetter(b) ? (byte)(b | 0x20) : b).ToArray();
        (_i1, _i2) = ByteFrequency.RarestPair(_folded);
        _mask1 = IgnoreAsciiCase && IsLetter(literal[_i1]) ? (byte)0x20 : (byte)0;
        _mask2 = IgnoreAsciiCase && IsLetter(literal[_i2]) ? (byte)0x20 : (byte)0;
        if (!IgnoreAsciiCase) _folded = literal;
        Literals = [literal];
    }

    public IReadOnlyList<byte[]> Literals { get; }
    public bool IgnoreAsciiCase { get; }

    // IndexOf anchors on the first and last bytes; for text the rarest two bytes stop the loop less often.
    public int Find(ReadOnlySpan<byte> haystack) => _literal.Length == 1 && !IgnoreAsciiCase ? haystack.IndexOf(_literal[0]) : FindAnchored(haystack);

    public void FindAll(ReadOnlySpan<byte> haystack, List<LiteralHit> output)
    {
        int pos = 0;
        while (pos < haystack.Length)
        {
            int k = Find(haystack[pos..]);
            if (k < 0) return;
            output.Add(new LiteralHit(0, pos + k));
            pos += k + 1; // overlapping occurrences count too
        }
    }

    private int FindAnchored(ReadOnlySpan<byte> hay)
    {
        int n = _literal.Length;
        int last = hay.Length - n; // last possible start
        if (last < 0) return -1;
        int i = 0;
        if (Vector256.IsHardwareAccelerated && last + 1 >= Vector256<byte>.Count)
        {
            var want1 = Vector256.Create(_folded[_i1]);
            var want2 = Vector256.Create(_folded[_i2]);
            var fold1 = Vector256.Create(_mask1);
            var fold2 = Vector256.Create(_mask2);
            ref byte start = ref MemoryMarshal.GetReference(hay);
            for (; i <= last + 1 - Vector256<byte>.Count; i += Vector256<byte>.Count)
            {
                var a = Vector256.LoadUnsafe(ref start, (nuint)(i + _i1)) | fold1;
                var b = Vector256.LoadUnsafe(ref start, (nuint)(i + _i2)) | fold2;
                uint bits = (Vector256.Equals(a, want1) & Vector256.Equals(b, want2)).ExtractMostSignificantBits();
                while (bits != 0)
                {
                    int at = i + BitOperations.TrailingZeroCount(bits);
                    if (Verify(hay, at)) return at;
                    bits &= bits - 1;
                }
            }
        }
        for (; i <= last; i++)
            if (Verify(hay, i)) return i;
        return -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Verify(ReadOnlySpan<byte> hay, int at)
    {
        var window = hay.Slice(at, _literal.Length);
        for (int j = 0; j < window.Length; j++)
        {
            byte b = window[j];
            if (b != _literal[j] && (!IgnoreAsciiCase || !IsLetter(b) || (b | 0x20) != _folded[j])) return false;
        }
        return true;
    }

    private static bool IsLetter(byte b) => (uint)((b | 0x20) - 'a') <= 'z' - 'a';
}
