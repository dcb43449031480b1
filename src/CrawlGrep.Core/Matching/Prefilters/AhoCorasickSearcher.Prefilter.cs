using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CrawlGrep.Core.Matching.Prefilters;

// The candidate scan of AhoCorasickSearcher.
//
// One 32-bit slot per hash of the first k bytes of a literal (k = min(shortest literal, 4)). A slot is a pair of
// 16-bit Bloom filters over what follows those k bytes: the low half over byte k of the literals shorter than k + 4,
// the high half over bytes k..k+3 of the others; a literal of exactly k bytes sets every bit. A position is a
// candidate when, in the slot of its first k bytes, the bit of its byte k or the bit of its bytes k..k+3 is set.
// So each position costs one table load (a gather, 8 positions at a time), and a literal prefix seen in the text
// only passes when what follows it also agrees with some literal in that slot.
public sealed partial class AhoCorasickSearcher
{
    private const uint HashMultiplier = 0x9E3779B1u, HashMultiplier2 = 0x85EBCA77u;

    /// <summary>Slots per literal (rounded up to a power of two, 2^10 to 2^18 slots).</summary>
    private const int SlotFactor = 32;

    private ulong _fold;                     // OR-ed into every byte the scan hashes when ignoring case (folds some non-letters too: only more candidates)
    private SearchValues<byte>? _startBytes; // k = 1: the first bytes of the literals (both cases)
    private uint[] _slots = [];
    private int _slotShift;                  // 32 - log2(slots)
    private uint _kMask;                     // the low k bytes of a 4-byte window
    private Vector256<byte> _headWindows;    // shuffle: the k bytes at each of 8 positions, as 8 dwords (the rest zero)
    private Vector256<byte> _nextWindows;    // shuffle: the 4 bytes after those k

    private long PrefilterBytes => 4L * _slots.Length + (_startBytes is null ? 0 : 256);

    private void BuildPrefilter()
    {
        if (_k == 1)
        {
            var starts = new HashSet<byte>();
            foreach (var lit in _literals)
            {
                byte b = lit[0];
                starts.Add(b);
                if (IgnoreAsciiCase && (uint)((b | 0x20) - 'a') <= 'z' - 'a') { starts.Add((byte)(b | 0x20)); starts.Add((byte)(b & ~0x20)); }
            }
            _startBytes = SearchValues.Create(starts.ToArray());
            return;
        }
        int slotsLog = Math.Clamp(64 - BitOperations.LeadingZeroCount((ulong)_literals.Length * (ulong)SlotFactor - 1), 10, 18);
        _slots = new uint[1 << slotsLog];
        _slotShift = 32 - slotsLog;
        _kMask = _k == 4 ? uint.MaxValue : (1u << (8 * _k)) - 1;
        Span<byte> headShuffle = stackalloc byte[32], nextShuffle = stackalloc byte[32];
        for (int lane = 0; lane < 2; lane++)
            for (int p = 0; p < 4; p++)
                for (int b = 0; b < 4; b++)
                {
                    int at = 16 * lane + 4 * p + b, position = 4 * lane + p;
                    headShuffle[at] = b < _k ? (byte)(position + b) : (byte)0x80;
                    nextShuffle[at] = (byte)(position + _k + b);
                }
        _headWindows = Vector256.Create<byte>(headShuffle);
        _nextWindows = Vector256.Create<byte>(nextShuffle);
        foreach (var lit in _literals)
        {
            uint head = 0, next = 0;
            for (int j = 0; j < _k; j++) head |= (uint)lit[j] << (8 * j);
            for (int j = 0; j < 4 && _k + j < lit.Length; j++) next |= (uint)lit[_k + j] << (8 * j);
            ref uint slot = ref _slots[Slot(head)];
            if (lit.Length == _k) slot = uint.MaxValue;
            else if (lit.Length < _k + 4) slot |= 1u << ShortSignature(next);
            else slot |= 1u << LongSignature(next);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Slot(uint head) => (int)((((head | (uint)_fold) & _kMask) * HashMultiplier) >> _slotShift);

    /// <summary>0-15: the low nibble of the low byte of <paramref name="next"/> (the same in either ASCII case).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ShortSignature(uint next) => (int)(next & 15);

    /// <summary>16-31 from the 4 bytes of <paramref name="next"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int LongSignature(uint next) => 16 + (int)(((next | (uint)_fold) * HashMultiplier2) >> 28);

    /// <summary>
    /// Bit j set: position <paramref name="block"/> + j may begin a literal (j &lt; <paramref name="count"/> ≤ 64: the
    /// positions tested, from 8 on up to the first 8 with a candidate). Only positions a literal can start at are set.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong CandidateMask(ref byte h, int n, int block, out int count)
    {
        int last = n - _k;
        ulong mask = 0;
        if (_vectorScan && block + 72 <= n)
        {
            mask = CandidateMaskAvx2(ref h, block, out count);
            if (last - block < 63) mask &= (2UL << (last - block)) - 1;
            return mask;
        }
        count = Math.Clamp(last - block + 1, 0, 64);
        for (int j = 0; j < count; j++)
        {
            int i = block + j;
            uint head = 0, next = 0;
            for (int b = 0; b < _k; b++) head |= (uint)Unsafe.Add(ref h, i + b) << (8 * b);
            int avail = Math.Min(4, n - i - _k);
            for (int b = 0; b < avail; b++) next |= (uint)Unsafe.Add(ref h, i + _k + b) << (8 * b);
            uint slot = _slots[Slot(head)];
            bool hit = avail == 0
                ? slot == uint.MaxValue
                : ((slot >> ShortSignature(next)) & 1) != 0 || (avail == 4 && ((slot >> LongSignature(next)) & 1) != 0);
            if (hit) mask |= 1UL << j;
        }
        return mask;
    }

    /// <summary>
    /// <see cref="CandidateMask"/> up to 64 positions with 72 bytes readable, 8 a step: the 4-byte windows at 0 and k
    /// made from one 16-byte load by shuffles, hashed with vector multiplies, the slots fetched with one gather.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe ulong CandidateMaskAvx2(ref byte h, int block, out int count)
    {
        var headWindows = _headWindows;
        var nextWindows = _nextWindows;
        var fold = Vector256.Create((byte)_fold);
        bool folding = _fold != 0;
        var mul1 = Vector256.Create(HashMultiplier);
        var mul2 = Vector256.Create(HashMultiplier2);
        var low4 = Vector256.Create(15u);
        var sixteen = Vector256.Create(16u);
        var slotShift = Vector128.CreateScalar((ulong)_slotShift).AsUInt32();
        fixed (uint* table = _slots)
        {
            for (int j = 0; j < 64; j += 8)
            {
                var v = Vector256.Create(Unsafe.ReadUnaligned<Vector128<byte>>(ref Unsafe.Add(ref h, block + j)));
                if (folding) v = Avx2.Or(v, fold);
                var head = Avx2.Shuffle(v, headWindows).AsUInt32(); // the bytes past k zeroed by the shuffle
                var next = Avx2.Shuffle(v, nextWindows).AsUInt32();
                var slot = Avx2.ShiftRightLogical(Avx2.MultiplyLow(head, mul1), slotShift);
                var words = Avx2.GatherVector256(table, slot.AsInt32(), 4);
                var shortSig = Avx2.And(next, low4);
                var longSig = Avx2.Add(Avx2.ShiftRightLogical(Avx2.MultiplyLow(next, mul2), 28), sixteen);
                var hit = Avx2.Or(Avx2.ShiftRightLogicalVariable(words, shortSig), Avx2.ShiftRightLogicalVariable(words, longSig));
                uint m = (uint)Avx.MoveMask(Avx2.ShiftLeftLogical(hit, 31).AsSingle());
                if (m != 0)
                {
                    count = j + 8;
                    return (ulong)m << j;
                }
            }
        }
        count = 64;
        return 0;
    }

}
