using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CrawlGrep.Core.Matching.Prefilters;

/// <summary>
/// Searches for a small set of literals (meant for 2 to <see cref="MaxLiterals"/>) with Hyperscan's Teddy
/// algorithm. Literals are spread over 8 buckets (<see cref="TeddyPlan"/>); for each of the 1 to 3
/// fingerprint bytes there are two 16-entry tables, indexed by a haystack byte's low and high nibble, whose
/// entries have bit b set when some literal of bucket b allows that nibble there. For 32 (or 16) starts at
/// once, each fingerprint byte is looked up in its two tables with one byte shuffle each (pshufb, or tbl on
/// Arm64) and the results are ANDed across nibbles and fingerprint bytes: a nonzero byte names the buckets
/// whose literals may start there, and only those literals are compared in full. The fingerprint bytes are
/// read by loads offset by one byte each rather than by shifting vectors across blocks. With case ignored,
/// the tables of a letter accept both of its high nibbles. Without vector hardware the same tables are
/// consulted a byte at a time. <see cref="Find"/> returns the leftmost start.
/// </summary>
public sealed class TeddySearcher : ILiteralSearcher
{
    /// <summary>The most literals the factory gives one Teddy searcher; more work, but fire buckets more often.</summary>
    public const int MaxLiterals = 64;

    private readonly FoldedLiteral[] _literals;
    private readonly int _offset, _length, _reach, _shortest; // fingerprint offset and length; _reach = offset + length - 1
    private readonly int[] _bucketStart, _bucketIds;           // literal ids of bucket b: _bucketIds[_bucketStart[b].._bucketStart[b + 1]]
    private readonly byte[] _lowTable, _highTable;             // 16 entries per fingerprint byte
    private readonly Vector128<byte>[] _low, _high;            // the same as vectors
    private readonly SimdWidth _width;

    public TeddySearcher(IReadOnlyList<byte[]> literals, bool ignoreAsciiCase) : this(literals, ignoreAsciiCase, SimdWidths.BestShuffle, null) { }

    internal TeddySearcher(IReadOnlyList<byte[]> literals, bool ignoreAsciiCase, SimdWidth width, (int Offset, int Length)? fingerprint = null)
    {
        ArgumentNullException.ThrowIfNull(literals);
        if (literals.Count == 0) throw new ArgumentException("At least one literal is required.", nameof(literals));
        var copies = new byte[literals.Count][];
        _literals = new FoldedLiteral[literals.Count];
        for (int i = 0; i < literals.Count; i++)
        {
            if (literals[i] is not { Length: > 0 } lit) throw new ArgumentException($"Literal {i} is null or empty.", nameof(literals));
            copies[i] = (byte[])lit.Clone();
            _literals[i] = new FoldedLiteral(lit, ignoreAsciiCase);
        }
        Literals = copies;
        IgnoreAsciiCase = ignoreAsciiCase;
        _width = SimdWidths.Clamp(width, SimdWidths.BestShuffle);

        Plan = fingerprint is { } f ? TeddyPlan.Make(_literals, f.Offset, f.Length) : TeddyPlan.Choose(_literals);
        _offset = Plan.Offset;
        _length = Plan.Length;
        _reach = _offset + _length - 1;
        _shortest = _literals.Min(l => l.Length);

        _bucketStart = new int[TeddyPlan.MaxBuckets + 1];
        var ids = new List<int>();
        for (int b = 0; b < TeddyPlan.MaxBuckets; b++)
        {
            _bucketStart[b] = ids.Count;
            ids.AddRange(Plan.Buckets[b]);
        }
        _bucketStart[TeddyPlan.MaxBuckets] = ids.Count;
        _bucketIds = [.. ids];

        _lowTable = new byte[16 * _length];
        _highTable = new byte[16 * _length];
        for (int b = 0; b < TeddyPlan.MaxBuckets; b++)
            foreach (int id in Plan.Buckets[b])
                for (int k = 0; k < _length; k++)
                {
                    var lit = _literals[id];
                    byte c = lit[_offset + k], bit = (byte)(1 << b);
                    _lowTable[16 * k + (c & 0xF)] |= bit;
                    _highTable[16 * k + (c >> 4)] |= bit;
                    if (lit.FoldAt(_offset + k) != 0) _highTable[16 * k + ((c & ~0x20) >> 4)] |= bit;
                }
        _low = new Vector128<byte>[_length];
        _high = new Vector128<byte>[_length];
        for (int k = 0; k < _length; k++)
        {
            _low[k] = Vector128.Create(_lowTable.AsSpan(16 * k, 16));
            _high[k] = Vector128.Create(_highTable.AsSpan(16 * k, 16));
        }
    }

    public IReadOnlyList<byte[]> Literals { get; }

    public bool IgnoreAsciiCase { get; }

    /// <summary>The fingerprint window and bucket assignment in use.</summary>
    internal TeddyPlan Plan { get; }

    public int Find(ReadOnlySpan<byte> haystack) => Scan(haystack, null);

    public void FindAll(ReadOnlySpan<byte> haystack, List<LiteralHit> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Scan(haystack, output);
    }

    // The first start with a match (output null) or every match (into output, returning -1).
    private int Scan(ReadOnlySpan<byte> hay, List<LiteralHit>? output)
    {
        int n = hay.Length;
        if (n < _shortest) return -1;
        ref byte h = ref MemoryMarshal.GetReference(hay);
        if (_width == SimdWidth.Vector256 && n - _reach >= Vector256<byte>.Count)
            return _length switch
            {
                1 => ScanVector256<One>(ref h, n, output),
                2 => ScanVector256<Two>(ref h, n, output),
                _ => ScanVector256<Three>(ref h, n, output),
            };
        if (_width >= SimdWidth.Vector128 && n - _reach >= Vector128<byte>.Count)
            return _length switch
            {
                1 => ScanVector128<One>(ref h, n, output),
                2 => ScanVector128<Two>(ref h, n, output),
                _ => ScanVector128<Three>(ref h, n, output),
            };
        return ScanScalar(ref h, n, output);
    }

    private interface IFingerprintLength
    {
        static abstract int Value { get; }
    }

    private struct One : IFingerprintLength { public static int Value => 1; }
    private struct Two : IFingerprintLength { public static int Value => 2; }
    private struct Three : IFingerprintLength { public static int Value => 3; }

    // The search runs over blocks of 32 starts: every block whose fingerprints fit in the haystack
    // (start s with s + _reach + 32 <= n), then the starts left over in one last block overlapping the one
    // before. The loop over blocks is a method of its own that makes no call, so that the tables stay in
    // registers; it returns at each block where some bucket fires, and the caller verifies it.
    private int ScanVector256<TLength>(ref byte h, int n, List<LiteralHit>? output) where TLength : struct, IFingerprintLength
    {
        const int W = 32;
        ref byte fingerprints = ref Unsafe.Add(ref h, _offset); // the fingerprint of start s begins at fingerprints[s]
        int last = n - _reach - W;
        int p = 0;
        while (true)
        {
            p = NextBlock256<TLength>(ref fingerprints, p, last, out var buckets);
            if (p > last) break;
            int found = VerifyBlock(ref h, n, p, buckets, ~0u, output);
            if (found >= 0) return found;
            p += W;
        }
        if (p < last + W)
        {
            NextBlock256<TLength>(ref fingerprints, last, last, out var buckets);
            if (buckets != Vector256<byte>.Zero) return VerifyBlock(ref h, n, last, buckets, ~0u << (p - last), output);
        }
        return -1;
    }

    // The first block from p on (p <= last) where some bucket fires, and its buckets; or a p past last.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int NextBlock256<TLength>(ref byte fingerprints, int p, int last, out Vector256<byte> buckets) where TLength : struct, IFingerprintLength
    {
        const int W = 32;
        var nibble = Vector256.Create((byte)0x0F);
        var low0 = Vector256.Create(_low[0], _low[0]);
        var high0 = Vector256.Create(_high[0], _high[0]);
        var low1 = TLength.Value > 1 ? Vector256.Create(_low[1], _low[1]) : default;
        var high1 = TLength.Value > 1 ? Vector256.Create(_high[1], _high[1]) : default;
        var low2 = TLength.Value > 2 ? Vector256.Create(_low[2], _low[2]) : default;
        var high2 = TLength.Value > 2 ? Vector256.Create(_high[2], _high[2]) : default;
        for (; p <= last - W; p += 2 * W)
        {
            Prefetch.Ahead(ref Unsafe.Add(ref fingerprints, p));
            var r0 = Block<TLength>(ref Unsafe.Add(ref fingerprints, p), nibble, low0, high0, low1, high1, low2, high2);
            var r1 = Block<TLength>(ref Unsafe.Add(ref fingerprints, p + W), nibble, low0, high0, low1, high1, low2, high2);
            if ((r0 | r1) != Vector256<byte>.Zero)
            {
                if (r0 != Vector256<byte>.Zero)
                {
                    buckets = r0;
                    return p;
                }
                buckets = r1;
                return p + W;
            }
        }
        for (; p <= last; p += W)
        {
            buckets = Block<TLength>(ref Unsafe.Add(ref fingerprints, p), nibble, low0, high0, low1, high1, low2, high2);
            if (buckets != Vector256<byte>.Zero) return p;
        }
        buckets = default;
        return p;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> Block<TLength>(ref byte q, Vector256<byte> nibble, Vector256<byte> low0, Vector256<byte> high0,
        Vector256<byte> low1, Vector256<byte> high1, Vector256<byte> low2, Vector256<byte> high2) where TLength : struct, IFingerprintLength
    {
        var r = Classify(Vector256.LoadUnsafe(ref q), low0, high0, nibble);
        if (TLength.Value > 1) r &= Classify(Vector256.LoadUnsafe(ref q, 1), low1, high1, nibble);
        if (TLength.Value > 2) r &= Classify(Vector256.LoadUnsafe(ref q, 2), low2, high2, nibble);
        return r;
    }

    // As ScanVector256, with blocks of 16 starts.
    private int ScanVector128<TLength>(ref byte h, int n, List<LiteralHit>? output) where TLength : struct, IFingerprintLength
    {
        const int W = 16;
        ref byte fingerprints = ref Unsafe.Add(ref h, _offset);
        int last = n - _reach - W;
        int p = 0;
        while (true)
        {
            p = NextBlock128<TLength>(ref fingerprints, p, last, out var buckets);
            if (p > last) break;
            int found = VerifyBlock(ref h, n, p, buckets, ~0u, output);
            if (found >= 0) return found;
            p += W;
        }
        if (p < last + W)
        {
            NextBlock128<TLength>(ref fingerprints, last, last, out var buckets);
            if (buckets != Vector128<byte>.Zero) return VerifyBlock(ref h, n, last, buckets, ~0u << (p - last), output);
        }
        return -1;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int NextBlock128<TLength>(ref byte fingerprints, int p, int last, out Vector128<byte> buckets) where TLength : struct, IFingerprintLength
    {
        const int W = 16;
        var nibble = Vector128.Create((byte)0x0F);
        var low0 = _low[0];
        var high0 = _high[0];
        var low1 = TLength.Value > 1 ? _low[1] : default;
        var high1 = TLength.Value > 1 ? _high[1] : default;
        var low2 = TLength.Value > 2 ? _low[2] : default;
        var high2 = TLength.Value > 2 ? _high[2] : default;
        for (; p <= last - W; p += 2 * W)
        {
            Prefetch.Ahead(ref Unsafe.Add(ref fingerprints, p));
            var r0 = Block<TLength>(ref Unsafe.Add(ref fingerprints, p), nibble, low0, high0, low1, high1, low2, high2);
            var r1 = Block<TLength>(ref Unsafe.Add(ref fingerprints, p + W), nibble, low0, high0, low1, high1, low2, high2);
            if ((r0 | r1) != Vector128<byte>.Zero)
            {
                if (r0 != Vector128<byte>.Zero)
                {
                    buckets = r0;
                    return p;
                }
                buckets = r1;
                return p + W;
            }
        }
        for (; p <= last; p += W)
        {
            buckets = Block<TLength>(ref Unsafe.Add(ref fingerprints, p), nibble, low0, high0, low1, high1, low2, high2);
            if (buckets != Vector128<byte>.Zero) return p;
        }
        buckets = default;
        return p;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Block<TLength>(ref byte q, Vector128<byte> nibble, Vector128<byte> low0, Vector128<byte> high0,
        Vector128<byte> low1, Vector128<byte> high1, Vector128<byte> low2, Vector128<byte> high2) where TLength : struct, IFingerprintLength
    {
        var r = Classify(Vector128.LoadUnsafe(ref q), low0, high0, nibble);
        if (TLength.Value > 1) r &= Classify(Vector128.LoadUnsafe(ref q, 1), low1, high1, nibble);
        if (TLength.Value > 2) r &= Classify(Vector128.LoadUnsafe(ref q, 2), low2, high2, nibble);
        return r;
    }

    // Buckets whose fingerprint byte allows each byte of v: the low and high nibble tables looked up and ANDed.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> Classify(Vector256<byte> v, Vector256<byte> low, Vector256<byte> high, Vector256<byte> nibble) =>
        Avx2.Shuffle(low, v & nibble) & Avx2.Shuffle(high, Vector256.ShiftRightLogical(v.AsUInt16(), 4).AsByte() & nibble);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Classify(Vector128<byte> v, Vector128<byte> low, Vector128<byte> high, Vector128<byte> nibble) =>
        Vector128.ShuffleNative(low, v & nibble) & Vector128.ShuffleNative(high, Vector128.ShiftRightLogical(v.AsUInt16(), 4).AsByte() & nibble);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int VerifyBlock(ref byte h, int n, int p, Vector256<byte> buckets, uint starts, List<LiteralHit>? output)
    {
        uint bits = ~Vector256.Equals(buckets, Vector256<byte>.Zero).ExtractMostSignificantBits() & starts;
        for (; bits != 0; bits &= bits - 1)
        {
            int i = BitOperations.TrailingZeroCount(bits);
            if (VerifyStart(ref h, n, p + i, buckets.GetElement(i), output) && output is null) return p + i;
        }
        return -1;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int VerifyBlock(ref byte h, int n, int p, Vector128<byte> buckets, uint starts, List<LiteralHit>? output)
    {
        uint bits = ~Vector128.Equals(buckets, Vector128<byte>.Zero).ExtractMostSignificantBits() & starts & 0xFFFF;
        for (; bits != 0; bits &= bits - 1)
        {
            int i = BitOperations.TrailingZeroCount(bits);
            if (VerifyStart(ref h, n, p + i, buckets.GetElement(i), output) && output is null) return p + i;
        }
        return -1;
    }

    private int ScanScalar(ref byte h, int n, List<LiteralHit>? output)
    {
        ref byte low = ref _lowTable[0];
        ref byte high = ref _highTable[0];
        for (int s = 0; s <= n - _shortest; s++)
        {
            ref byte q = ref Unsafe.Add(ref h, s + _offset);
            int buckets = 0xFF;
            for (int k = 0; k < _length && buckets != 0; k++)
            {
                byte c = Unsafe.Add(ref q, k);
                buckets &= Unsafe.Add(ref low, 16 * k + (c & 0xF)) & Unsafe.Add(ref high, 16 * k + (c >> 4));
            }
            if (buckets != 0 && VerifyStart(ref h, n, s, (uint)buckets, output) && output is null) return s;
        }
        return -1;
    }

    // Compares the literals of the given buckets at start s; true when one matches (with output, all are added).
    private bool VerifyStart(ref byte h, int n, int s, uint buckets, List<LiteralHit>? output)
    {
        bool matched = false;
        for (; buckets != 0; buckets &= buckets - 1)
        {
            int b = BitOperations.TrailingZeroCount(buckets);
            for (int j = _bucketStart[b]; j < _bucketStart[b + 1]; j++)
            {
                int id = _bucketIds[j];
                if (!_literals[id].MatchesAt(ref h, n, s)) continue;
                if (output is null) return true;
                output.Add(new LiteralHit(id, s));
                matched = true;
            }
        }
        return matched;
    }
}
