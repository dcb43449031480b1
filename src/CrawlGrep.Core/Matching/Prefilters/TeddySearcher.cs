using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CrawlGrep.Core.Matching.Prefilters;

/// <summary>
/// A small literal set (2 to about 64), searched with Hyperscan's Teddy: the literals are spread over
/// 8 buckets; for each of the first few bytes of a literal, two 16-entry tables (low and high nibble)
/// give the buckets that byte value can belong to. A pshufb per table looks 32 positions up at once,
/// the results are AND-ed, and only positions whose bucket mask survives are verified.
/// </summary>
public sealed class TeddySearcher : ILiteralSearcher
{
    private const int Buckets = 8;
    private readonly byte[][] _literals;
    private readonly byte[][] _folded;            // letters lower-cased when ignoring case
    private readonly int[][] _bucketLiterals;     // bucket -> literal ids
    private readonly int _m;                      // fingerprint length: bytes looked up per position
    private readonly Vector256<byte>[] _lo, _hi;  // per fingerprint byte: nibble -> bucket bits (both lanes)
    private readonly int _minLength;

    public TeddySearcher(IReadOnlyList<byte[]> literals, bool ignoreAsciiCase)
    {
        if (literals.Count == 0) throw new ArgumentException("no literals", nameof(literals));
        if (literals.Any(l => l.Length == 0)) throw new ArgumentException("empty literal", nameof(literals));
        _literals = literals.ToArray();
        IgnoreAsciiCase = ignoreAsciiCase;
        _folded = _literals.Select(l => ignoreAsciiCase ? l.Select(b => IsLetter(b) ? (byte)(b | 0x20) : b).ToArray() : l).ToArray();
        _minLength = _literals.Min(l => l.Length);
        _m = Math.Min(3, _minLength);

        // Literals with the same first bytes share a bucket, so a bucket's candidates are alike.
        var order = Enumerable.Range(0, _literals.Length).OrderBy(i => Convert.ToHexString(_folded[i].AsSpan(0, _m))).ToArray();
        var buckets = Enumerable.Range(0, Buckets).Select(_ => new List<int>()).ToArray();
        for (int k = 0; k < order.Length; k++) buckets[k * Buckets / order.Length].Add(order[k]);
        _bucketLiterals = buckets.Select(b => b.ToArray()).ToArray();

        _lo = new Vector256<byte>[_m];
        _hi = new Vector256<byte>[_m];
        for (int j = 0; j < _m; j++)
        {
            var lo = new byte[32];
            var hi = new byte[32];
            for (int b = 0; b < Buckets; b++)
                foreach (int id in _bucketLiterals[b])
                    foreach (byte v in Cases(_literals[id][j]))
                        for (int lane = 0; lane < 32; lane += 16)
                        {
                            lo[lane + (v & 0xF)] |= (byte)(1 << b);
                            hi[lane + (v >> 4)] |= (byte)(1 << b);
                        }
            _lo[j] = Vector256.Create(lo);
            _hi[j] = Vector256.Create(hi);
        }
        Literals = _literals;
    }

    public IReadOnlyList<byte[]> Literals { get; }
    public bool IgnoreAsciiCase { get; }

    private IEnumerable<byte> Cases(byte b) => IgnoreAsciiCase && IsLetter(b) ? [(byte)(b | 0x20), (byte)(b & ~0x20)] : [b];

    public int Find(ReadOnlySpan<byte> haystack)
    {
        int found = -1;
        Scan(haystack, null, ref found);
        return found;
    }

    public void FindAll(ReadOnlySpan<byte> haystack, List<LiteralHit> output)
    {
        int unused = -1;
        Scan(haystack, output, ref unused);
    }

    /// <summary>Finds candidates in order; stops at the first verified one unless collecting all.</summary>
    private void Scan(ReadOnlySpan<byte> hay, List<LiteralHit>? all, ref int first)
    {
        int i = 0;
        if (Avx2.IsSupported && hay.Length >= 32 + _m - 1)
        {
            ref byte start = ref MemoryMarshal.GetReference(hay);
            var nibble = Vector256.Create((byte)0x0F);
            int lastBlock = hay.Length - 32 - (_m - 1);
            for (; i <= lastBlock; i += 32)
            {
                var acc = Vector256<byte>.AllBitsSet;
                for (int j = 0; j < _m; j++)
                {
                    var v = Vector256.LoadUnsafe(ref start, (nuint)(i + j));
                    var lo = Avx2.Shuffle(_lo[j], v & nibble);
                    var hi = Avx2.Shuffle(_hi[j], Avx2.ShiftRightLogical(v.AsUInt16(), 4).AsByte() & nibble);
                    acc &= lo & hi;
                }
                uint bits = ~Vector256.Equals(acc, Vector256<byte>.Zero).ExtractMostSignificantBits();
                while (bits != 0)
                {
                    int k = BitOperations.TrailingZeroCount(bits);
                    bits &= bits - 1;
                    byte mask = acc.GetElement(k);
                    if (VerifyBuckets(hay, i + k, mask, all) && all is null) { first = i + k; return; }
                }
            }
        }
        // The tail (and machines without AVX2): every position, every literal.
        for (; i < hay.Length; i++)
            if (VerifyBuckets(hay, i, 0xFF, all) && all is null) { first = i; return; }
    }

    private bool VerifyBuckets(ReadOnlySpan<byte> hay, int at, byte mask, List<LiteralHit>? all)
    {
        bool any = false;
        while (mask != 0)
        {
            int b = BitOperations.TrailingZeroCount(mask);
            mask &= (byte)(mask - 1);
            foreach (int id in _bucketLiterals[b])
            {
                if (!Verify(hay, at, id)) continue;
                if (all is null) return true;
                all.Add(new LiteralHit(id, at));
                any = true;
            }
        }
        return any;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Verify(ReadOnlySpan<byte> hay, int at, int id)
    {
        var lit = _literals[id];
        if (at + lit.Length > hay.Length) return false;
        var window = hay.Slice(at, lit.Length);
        if (!IgnoreAsciiCase) return window.SequenceEqual(lit);
        var folded = _folded[id];
        for (int j = 0; j < window.Length; j++)
        {
            byte b = window[j];
            if (b != lit[j] && (!IsLetter(b) || (b | 0x20) != folded[j])) return false;
        }
        return true;
    }

    private static bool IsLetter(byte b) => (uint)((b | 0x20) - 'a') <= 'z' - 'a';
}
