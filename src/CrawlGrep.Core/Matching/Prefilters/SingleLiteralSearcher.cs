using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CrawlGrep.Core.Matching.Prefilters;

/// <summary>
/// Searches for one literal. Exact literals (and case-insensitive ones without ASCII letters) use .NET's
/// vectorized <see cref="MemoryExtensions.IndexOf{T}(ReadOnlySpan{T}, ReadOnlySpan{T})"/>. A case-insensitive
/// literal of one letter is either of two bytes. Longer case-insensitive literals are found by a "packed pair"
/// search: the two rarest bytes of the literal in web text (by <see cref="ByteFrequencies"/>), each folded
/// with OR 0x20 when it is a letter, are compared at their offsets for 32 (or 16) starts at once; only starts
/// where both agree are compared in full. <see cref="Find"/> returns the leftmost start.
/// </summary>
public sealed class SingleLiteralSearcher : ILiteralSearcher
{
    private enum Mode { Exact, EitherCase, Pair }

    private readonly byte[] _literal;
    private readonly FoldedLiteral _folded;
    private readonly Mode _mode;
    private readonly SimdWidth _width;
    private readonly byte _lower, _upper;                  // EitherCase
    private readonly int _index1, _index2, _reach;         // Pair: anchor offsets and the larger of them
    private readonly byte _value1, _fold1, _value2, _fold2; // Pair: folded anchor bytes and their fold bits

    public SingleLiteralSearcher(byte[] literal, bool ignoreAsciiCase) : this(literal, ignoreAsciiCase, SimdWidths.BestCompare) { }

    internal SingleLiteralSearcher(byte[] literal, bool ignoreAsciiCase, SimdWidth width)
    {
        ArgumentNullException.ThrowIfNull(literal);
        if (literal.Length == 0) throw new ArgumentException("A literal must not be empty.", nameof(literal));
        _literal = (byte[])literal.Clone();
        Literals = [_literal];
        IgnoreAsciiCase = ignoreAsciiCase;
        _folded = new FoldedLiteral(literal, ignoreAsciiCase);
        _width = SimdWidths.Clamp(width, SimdWidths.BestCompare);
        if (!_folded.Folds) _mode = Mode.Exact;
        else if (literal.Length == 1)
        {
            _mode = Mode.EitherCase;
            _lower = (byte)(literal[0] | 0x20);
            _upper = (byte)(literal[0] & ~0x20);
        }
        else
        {
            _mode = Mode.Pair;
            (_index1, _index2) = ChooseAnchors(_folded);
            _reach = Math.Max(_index1, _index2);
            (_value1, _fold1) = (_folded[_index1], _folded.FoldAt(_index1));
            (_value2, _fold2) = (_folded[_index2], _folded.FoldAt(_index2));
        }
    }

    public IReadOnlyList<byte[]> Literals { get; }

    public bool IgnoreAsciiCase { get; }

    /// <summary>The offsets in the literal of the two bytes compared first (case-insensitive literals of 2 bytes or more).</summary>
    internal (int First, int Second) Anchors => (_index1, _index2);

    /// <summary>
    /// The rarest byte, then the rarest byte of another value (or, when all bytes are alike, another offset):
    /// two equal bytes would let runs of that byte through.
    /// </summary>
    internal static (int, int) ChooseAnchors(FoldedLiteral lit)
    {
        int Cost(int i) => ByteFrequencies.Of(lit[i], lit.FoldAt(i) != 0);
        int first = 0;
        for (int i = 1; i < lit.Length; i++)
            if (Cost(i) < Cost(first)) first = i;
        int second = -1;
        for (int i = 0; i < lit.Length; i++)
            if (lit[i] != lit[first] && (second < 0 || Cost(i) < Cost(second))) second = i;
        if (second < 0) second = first == 0 ? lit.Length - 1 : 0;
        return (first, second);
    }

    public int Find(ReadOnlySpan<byte> haystack) => _mode switch
    {
        Mode.Exact => haystack.IndexOf(_literal),
        Mode.EitherCase => haystack.IndexOfAny(_lower, _upper),
        _ => FindPairs(haystack, null),
    };

    public int Find(ReadOnlySpan<byte> haystack, out int literal)
    {
        int at = Find(haystack);
        literal = at < 0 ? -1 : 0;
        return at;
    }

    public void FindAll(ReadOnlySpan<byte> haystack, List<LiteralHit> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (_mode == Mode.Pair)
        {
            FindPairs(haystack, output);
            return;
        }
        int pos = 0;
        while (pos < haystack.Length)
        {
            var rest = haystack[pos..];
            int k = _mode == Mode.Exact ? rest.IndexOf(_literal) : rest.IndexOfAny(_lower, _upper);
            if (k < 0) return;
            output.Add(new LiteralHit(0, pos + k));
            pos += k + 1;
        }
    }

    // The first start (output null) or every start (into output, returning -1) where the literal matches.
    private int FindPairs(ReadOnlySpan<byte> hay, List<LiteralHit>? output)
    {
        int n = hay.Length;
        if (n < _literal.Length) return -1;
        ref byte h = ref MemoryMarshal.GetReference(hay);
        if (_width == SimdWidth.Vector256 && n - _reach >= Vector256<byte>.Count) return PairsVector256(ref h, n, output);
        if (_width >= SimdWidth.Vector128 && n - _reach >= Vector128<byte>.Count) return PairsVector128(ref h, n, output);
        return PairsScalar(ref h, n, output);
    }

    // Blocks of 32 starts: every block whose anchor bytes lie in the haystack (start s with
    // s + _reach + 32 <= n), then the starts left over in one last block overlapping the one before. The
    // loop over blocks is a method of its own that makes no call, so that its vectors stay in registers; it
    // returns at each block with candidates, and the caller verifies them.
    private int PairsVector256(ref byte h, int n, List<LiteralHit>? output)
    {
        const int W = 32;
        int last = n - _reach - W;
        int p = 0;
        while (true)
        {
            p = NextBlock256(ref h, p, last, out uint starts);
            if (p > last) break;
            int found = Verify(ref h, n, p, starts, output);
            if (found >= 0) return found;
            p += W;
        }
        if (p < last + W)
        {
            NextBlock256(ref h, last, last, out uint starts);
            starts &= ~0u << (p - last);
            if (starts != 0) return Verify(ref h, n, last, starts, output);
        }
        return -1;
    }

    // The first block from p on (p <= last) with starts where both anchors match, and those starts as bits;
    // or a p past last.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int NextBlock256(ref byte h, int p, int last, out uint starts)
    {
        const int W = 32;
        var value1 = Vector256.Create(_value1);
        var fold1 = Vector256.Create(_fold1);
        var value2 = Vector256.Create(_value2);
        var fold2 = Vector256.Create(_fold2);
        ref byte anchor1 = ref Unsafe.Add(ref h, _index1);
        ref byte anchor2 = ref Unsafe.Add(ref h, _index2);
        for (; p <= last - W; p += 2 * W)
        {
            Prefetch.Ahead(ref Unsafe.Add(ref anchor1, p));
            var eq0 = Vector256.Equals(Vector256.LoadUnsafe(ref anchor1, (nuint)p) | fold1, value1)
                    & Vector256.Equals(Vector256.LoadUnsafe(ref anchor2, (nuint)p) | fold2, value2);
            var eq1 = Vector256.Equals(Vector256.LoadUnsafe(ref anchor1, (nuint)(p + W)) | fold1, value1)
                    & Vector256.Equals(Vector256.LoadUnsafe(ref anchor2, (nuint)(p + W)) | fold2, value2);
            if ((eq0 | eq1) != Vector256<byte>.Zero)
            {
                if (eq0 != Vector256<byte>.Zero)
                {
                    starts = eq0.ExtractMostSignificantBits();
                    return p;
                }
                starts = eq1.ExtractMostSignificantBits();
                return p + W;
            }
        }
        for (; p <= last; p += W)
        {
            var eq = Vector256.Equals(Vector256.LoadUnsafe(ref anchor1, (nuint)p) | fold1, value1)
                   & Vector256.Equals(Vector256.LoadUnsafe(ref anchor2, (nuint)p) | fold2, value2);
            if (eq != Vector256<byte>.Zero)
            {
                starts = eq.ExtractMostSignificantBits();
                return p;
            }
        }
        starts = 0;
        return p;
    }

    // As PairsVector256, with blocks of 16 starts.
    private int PairsVector128(ref byte h, int n, List<LiteralHit>? output)
    {
        const int W = 16;
        int last = n - _reach - W;
        int p = 0;
        while (true)
        {
            p = NextBlock128(ref h, p, last, out uint starts);
            if (p > last) break;
            int found = Verify(ref h, n, p, starts, output);
            if (found >= 0) return found;
            p += W;
        }
        if (p < last + W)
        {
            NextBlock128(ref h, last, last, out uint starts);
            starts &= ~0u << (p - last);
            if (starts != 0) return Verify(ref h, n, last, starts, output);
        }
        return -1;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int NextBlock128(ref byte h, int p, int last, out uint starts)
    {
        const int W = 16;
        var value1 = Vector128.Create(_value1);
        var fold1 = Vector128.Create(_fold1);
        var value2 = Vector128.Create(_value2);
        var fold2 = Vector128.Create(_fold2);
        ref byte anchor1 = ref Unsafe.Add(ref h, _index1);
        ref byte anchor2 = ref Unsafe.Add(ref h, _index2);
        for (; p <= last - W; p += 2 * W)
        {
            Prefetch.Ahead(ref Unsafe.Add(ref anchor1, p));
            var eq0 = Vector128.Equals(Vector128.LoadUnsafe(ref anchor1, (nuint)p) | fold1, value1)
                    & Vector128.Equals(Vector128.LoadUnsafe(ref anchor2, (nuint)p) | fold2, value2);
            var eq1 = Vector128.Equals(Vector128.LoadUnsafe(ref anchor1, (nuint)(p + W)) | fold1, value1)
                    & Vector128.Equals(Vector128.LoadUnsafe(ref anchor2, (nuint)(p + W)) | fold2, value2);
            if ((eq0 | eq1) != Vector128<byte>.Zero)
            {
                if (eq0 != Vector128<byte>.Zero)
                {
                    starts = eq0.ExtractMostSignificantBits();
                    return p;
                }
                starts = eq1.ExtractMostSignificantBits();
                return p + W;
            }
        }
        for (; p <= last; p += W)
        {
            var eq = Vector128.Equals(Vector128.LoadUnsafe(ref anchor1, (nuint)p) | fold1, value1)
                   & Vector128.Equals(Vector128.LoadUnsafe(ref anchor2, (nuint)p) | fold2, value2);
            if (eq != Vector128<byte>.Zero)
            {
                starts = eq.ExtractMostSignificantBits();
                return p;
            }
        }
        starts = 0;
        return p;
    }

    private int PairsScalar(ref byte h, int n, List<LiteralHit>? output)
    {
        for (int s = 0; s <= n - _literal.Length; s++)
        {
            if ((Unsafe.Add(ref h, s + _index1) | _fold1) != _value1 || (Unsafe.Add(ref h, s + _index2) | _fold2) != _value2) continue;
            if (!_folded.MatchesAt(ref h, n, s)) continue;
            if (output is null) return s;
            output.Add(new LiteralHit(0, s));
        }
        return -1;
    }

    // Compares the literal in full at start p + i for every set bit i, lowest first.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int Verify(ref byte h, int n, int p, uint bits, List<LiteralHit>? output)
    {
        do
        {
            int s = p + BitOperations.TrailingZeroCount(bits);
            if (_folded.MatchesAt(ref h, n, s))
            {
                if (output is null) return s;
                output.Add(new LiteralHit(0, s));
            }
            bits &= bits - 1;
        } while (bits != 0);
        return -1;
    }
}
