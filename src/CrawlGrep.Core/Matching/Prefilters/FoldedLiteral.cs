using System.Runtime.CompilerServices;

namespace CrawlGrep.Core.Matching.Prefilters;

/// <summary>
/// A literal prepared for comparison at a position of a haystack. When ASCII case is ignored, every ASCII
/// letter of the literal is stored in lower case with a fold bit of 0x20: a haystack byte <c>x</c> matches
/// letter <c>c</c> exactly when <c>(x | 0x20) == c</c>, which holds for the two cases of <c>c</c> and no other
/// byte. Other bytes have a fold of 0 and must be equal. Exact literals have no fold bits at all.
/// The comparison reads the haystack eight bytes at a time.
/// </summary>
internal sealed class FoldedLiteral
{
    private readonly byte[] _bytes; // lower-cased where folded
    private readonly byte[] _fold;  // 0x20 at folded letters, else 0
    private readonly ulong _head, _headFold, _headMask; // the first min(8, Length) bytes

    public FoldedLiteral(ReadOnlySpan<byte> literal, bool ignoreAsciiCase)
    {
        if (literal.IsEmpty) throw new ArgumentException("A literal must not be empty.", nameof(literal));
        Length = literal.Length;
        _bytes = literal.ToArray();
        _fold = new byte[literal.Length];
        if (ignoreAsciiCase)
            for (int i = 0; i < _bytes.Length; i++)
                if (ByteFrequencies.IsAsciiLetter(_bytes[i]))
                {
                    _bytes[i] |= 0x20;
                    _fold[i] = 0x20;
                }
        Span<byte> compared = stackalloc byte[Math.Min(8, Length)];
        compared.Fill(0xFF);
        _head = Word(_bytes);
        _headFold = Word(_fold);
        _headMask = Word(compared);
    }

    public int Length { get; }

    // Up to the first 8 bytes as the word a haystack read gives (so either byte order works), zero-padded.
    private static ulong Word(ReadOnlySpan<byte> bytes)
    {
        Span<byte> w = stackalloc byte[8];
        w.Clear();
        bytes[..Math.Min(8, bytes.Length)].CopyTo(w);
        return Unsafe.ReadUnaligned<ulong>(ref w[0]);
    }

    /// <summary>Whether some byte is compared case-insensitively.</summary>
    public bool Folds => Array.IndexOf(_fold, (byte)0x20) >= 0;

    /// <summary>Byte <paramref name="i"/> of the literal, lower-cased when folded.</summary>
    public byte this[int i] => _bytes[i];

    /// <summary>The fold bit (0x20 or 0) of byte <paramref name="i"/>.</summary>
    public byte FoldAt(int i) => _fold[i];

    /// <summary>Whether the literal occurs at <paramref name="start"/> of the <paramref name="length"/> bytes at <paramref name="hay"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool MatchesAt(ref byte hay, int length, int start)
    {
        int room = length - start;
        if (room < Length) return false;
        ref byte p = ref Unsafe.Add(ref hay, start);
        if (room < 8) return MatchesSlowly(ref p);
        ulong x = Unsafe.ReadUnaligned<ulong>(ref p);
        if (((x | _headFold) & _headMask) != _head) return false;
        return Length <= 8 || MatchesTail(ref p);
    }

    public bool MatchesAt(ReadOnlySpan<byte> hay, int start) =>
        (uint)start <= (uint)hay.Length && MatchesAt(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(hay), hay.Length, start);

    // Bytes 8.. of a literal longer than 8, in 8-byte words, the last one overlapping its predecessor.
    private bool MatchesTail(ref byte p)
    {
        ref byte lit = ref _bytes[0];
        ref byte fold = ref _fold[0];
        int i = 8;
        for (; i + 8 <= Length; i += 8)
            if (!WordMatches(ref p, ref lit, ref fold, i)) return false;
        return i == Length || WordMatches(ref p, ref lit, ref fold, Length - 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool WordMatches(ref byte p, ref byte lit, ref byte fold, int i) =>
        (Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, i)) | Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref fold, i)))
        == Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref lit, i));

    // Fewer than 8 bytes left in the haystack (so the literal is shorter than 8).
    private bool MatchesSlowly(ref byte p)
    {
        for (int i = 0; i < Length; i++)
            if ((Unsafe.Add(ref p, i) | _fold[i]) != _bytes[i]) return false;
        return true;
    }
}
