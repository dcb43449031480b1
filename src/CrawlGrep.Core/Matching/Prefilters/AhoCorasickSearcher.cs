using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace CrawlGrep.Core.Matching.Prefilters;

/// <summary>
/// Aho-Corasick for large literal sets (hundreds to tens of thousands, as from <c>-F -f terms.txt</c>): a DFA over
/// byte classes, run only from the candidate positions a vectorized fingerprint scan finds.
/// </summary>
/// <remarks>
/// <para><b>Byte classes.</b> One class per distinct byte the literals use (an ASCII letter and its other case share
/// one with <see cref="IgnoreAsciiCase"/>) and one for all other bytes.</para>
/// <para><b>Two-level automaton.</b> The states near the start (all those shallower than k, see below, and whole
/// depth levels more while the rows stay within <see cref="DenseBudget"/> entries) are dense rows of <c>int</c> with
/// the failure transitions folded in; a state is its row offset, so a step is <c>state = dense[state + class[b]]</c>.
/// Rows are ordered [states with output | states shallower than k | others], so one comparison classifies a state;
/// a last column holds the state's match index or depth. The deeper states (the bulk: about one per literal byte,
/// nearly all with one child) are compact records in depth-first order, <c>[child count, failure state, match index,
/// (class, child) pairs]</c>, so the states of one literal lie together; a missing child follows failure links down
/// to a dense row. Output lists are a state's own literals plus a dictionary-suffix link to the nearest proper suffix
/// state that has literals of its own.</para>
/// <para><b>Prefilter</b> (AhoCorasickSearcher.Prefilter.cs). k = min(shortest literal, 4) (less if the shallow
/// dense rows would be too many). A table of 32-bit slots, indexed by a hash of the first k bytes of each literal,
/// holds two 16-bit Bloom filters of what follows them: byte k for literals shorter than k + 4, bytes k..k+3 for the
/// others. A position is a candidate when its slot has the bit of its byte k or of its bytes k..k+3: one table load
/// per position, done 8 positions at a time (AVX2: windows by shuffle, hashes by vector multiply, slots by gather).
/// From a candidate the automaton starts in the state of its first k bytes (a small hash table keyed by their
/// classes) and runs until its state is shallower than k: no occurrence still in progress then started more than
/// that depth back, and the scan resumes there, so every occurrence is seen exactly once. Where candidates come so
/// densely that the scan cannot pay for itself, the automaton alone runs the rest of the call.</para>
/// <para><b>Memory</b>, see <see cref="MemoryBytes"/>; the literal sets of the benchmark (words, word pairs and
/// random strings of ~10 bytes): 1,000 literals, 7,500 states, all dense: 3.5 MB; 10,000 literals, 61,000 states:
/// 8.9 MB (13,200 dense rows of 126 classes 6.7 MB, 47,800 records, slots 1 MB, entry table 128 KB). Bounds: dense rows
/// ≤ 16 MB for the shallow states + 8 MB, ~20 bytes per deeper state, slots ≤ 1 MB.</para>
/// </remarks>
public sealed partial class AhoCorasickSearcher : ILiteralSearcher
{
    /// <summary>Dense table entries allowed beyond those of the states shallower than k.</summary>
    public const int DenseBudget = 1 << 21;

    // The prefilter gives way to the automaton alone when, over a window of text, the automaton bytes run from
    // candidates plus CandidateCost per candidate exceed 1.5 × the window (measured on HTML: a candidate costs about
    // as much as 20-30 bytes of automaton steps).
    private const int DensityWindow = 8192, CandidateCost = 24;

    /// <summary>Dense table entries the states shallower than k may take (16 MB); past it k is lowered.</summary>
    private const long ShallowLimit = 1 << 22;

    private readonly byte[][] _literals;
    private readonly byte[] _classes = new byte[256];
    private readonly int _classCount; // also the column of a dense row holding its match index or depth
    private readonly int _stride;     // _classCount + 1

    // A state value below _denseEnd is a row offset in _dense: [0, _matchLimit) have output, [_matchLimit,
    // _shallowLimit) are shallower than k. A value from _denseEnd on is _denseEnd + the offset of a record in _sparse.
    private readonly int[] _dense;
    private readonly int _denseEnd, _matchLimit, _shallowLimit, _start;
    private readonly int[] _sparse;   // records: [child count, failure state, match index or -1, (class, child) × count]

    // Outputs by match index.
    private readonly int[] _ownStart; // CSR into _ownIds
    private readonly int[] _ownIds;
    private readonly int[] _dictLink; // match index of the nearest proper suffix with literals of its own, or -1
    private readonly int[] _longest;  // length of the longest literal ending in the state

    // The state after the first k bytes of a literal, by the classes of those bytes: (key << 32) | state; empty: state -1.
    private readonly int _k;
    private readonly ulong[] _entry;
    private readonly int _entryShift;

    private readonly ScanMode _mode;
    private readonly bool _vectorScan;

    public AhoCorasickSearcher(IReadOnlyList<byte[]> literals, bool ignoreAsciiCase)
        : this(literals, ignoreAsciiCase, DenseBudget, vectorScan: true, ScanMode.Auto)
    {
    }

    /// <summary>How a search proceeds; anything but <see cref="Auto"/> is for tests and measurements.</summary>
    internal enum ScanMode
    {
        /// <summary>The prefilter, until candidates come too densely; then the automaton alone.</summary>
        Auto,
        /// <summary>The prefilter throughout.</summary>
        Prefilter,
        /// <summary>The automaton alone from the start.</summary>
        Automaton,
    }

    /// <param name="denseBudget">Dense table entries allowed beyond those of the states shallower than k.</param>
    /// <param name="vectorScan">Whether the candidate scan may use AVX2 (else the scalar scan).</param>
    /// <param name="mode">How searches proceed.</param>
    internal AhoCorasickSearcher(IReadOnlyList<byte[]> literals, bool ignoreAsciiCase, int denseBudget, bool vectorScan, ScanMode mode)
    {
        ArgumentNullException.ThrowIfNull(literals);
        if (literals.Count == 0) throw new ArgumentException("at least one literal is required", nameof(literals));
        _literals = new byte[literals.Count][];
        int minLen = int.MaxValue;
        for (int i = 0; i < literals.Count; i++)
        {
            var lit = literals[i] ?? throw new ArgumentException($"literal {i} is null", nameof(literals));
            if (lit.Length == 0) throw new ArgumentException($"literal {i} is empty", nameof(literals));
            _literals[i] = (byte[])lit.Clone();
            minLen = Math.Min(minLen, lit.Length);
        }
        IgnoreAsciiCase = ignoreAsciiCase;
        _mode = mode;
        _vectorScan = vectorScan && Avx2.IsSupported;

        // Byte classes.
        var used = new bool[256];
        foreach (var lit in _literals)
            foreach (byte b in lit) used[Fold(b)] = true;
        int classes = Array.IndexOf(used, false) >= 0 ? 1 : 0; // class 0: the bytes no literal uses
        for (int b = 0; b < 256; b++)
            if (used[b]) _classes[b] = (byte)classes++;
        if (ignoreAsciiCase)
            for (int b = 'A'; b <= 'Z'; b++) _classes[b] = _classes[b | 0x20];
        _classCount = classes;
        int stride = _stride = classes + 1;

        // Trie; children keyed by node × 256 + class.
        var children = new Dictionary<long, int>();
        var depth = new List<int> { 0 };
        var own = new List<List<int>?> { null };
        for (int id = 0; id < _literals.Length; id++)
        {
            int node = 0;
            foreach (byte b in _literals[id])
            {
                long key = (long)node << 8 | _classes[b];
                if (!children.TryGetValue(key, out int child))
                {
                    child = depth.Count;
                    depth.Add(depth[node] + 1);
                    own.Add(null);
                    children.Add(key, child);
                }
                node = child;
            }
            (own[node] ??= []).Add(id);
        }
        int n = StateCount = depth.Count;
        var kids = new List<(int Class, int Child)>?[n];
        foreach (var (key, child) in children)
            (kids[(int)(key >> 8)] ??= []).Add(((int)(key & 0xFF), child));
        foreach (var list in kids) list?.Sort();

        // Breadth-first order, failure and dictionary-suffix links.
        var order = new int[n];
        var fail = new int[n];
        var dict = new int[n];
        int head = 0, tail = 0;
        order[tail++] = 0;
        dict[0] = -1;
        while (head < tail)
        {
            int s = order[head++];
            if (kids[s] is not { } kidList) continue;
            foreach (var (c, t) in kidList)
            {
                int f = 0;
                if (s != 0)
                {
                    for (f = fail[s]; ; f = fail[f])
                    {
                        if (children.TryGetValue((long)f << 8 | (uint)c, out int g)) { f = g; break; }
                        if (f == 0) break;
                    }
                }
                fail[t] = f;
                dict[t] = own[f] is not null ? f : dict[f];
                order[tail++] = t;
            }
        }
        bool IsMatch(int s) => own[s] is not null || dict[s] >= 0;

        // k: at most 4, and fewer if the dense rows of the states shallower than k would pass ShallowLimit entries.
        int maxDepth = depth.Max();
        var perDepth = new long[maxDepth + 1];
        foreach (int d in depth) perDepth[d]++;
        int k = Math.Min(minLen, 4);
        while (k > 1 && perDepth.Take(k).Sum() * stride > ShallowLimit) k--;
        _k = k;

        // Dense: every state shallower than k, then whole depth levels while within the budget.
        int denseDepth = 0; // the states with depth < denseDepth are dense
        long denseStates = 0;
        while (denseDepth <= maxDepth && (denseDepth < k || (denseStates + perDepth[denseDepth]) * stride <= denseBudget))
            denseStates += perDepth[denseDepth++];
        if (denseStates * stride > int.MaxValue / 2) throw new ArgumentException("literal set too large", nameof(literals));

        var value = new int[n];      // state value
        var matchIndex = new int[n];
        var byMatch = new List<int>();
        int rows = 0;
        foreach (int s in order)
            if (depth[s] < denseDepth && IsMatch(s)) { matchIndex[s] = byMatch.Count; byMatch.Add(s); value[s] = rows++ * stride; }
        int matchRows = rows;
        foreach (int s in order) if (depth[s] < denseDepth && !IsMatch(s) && depth[s] < k) value[s] = rows++ * stride;
        int shallowRows = rows;
        foreach (int s in order) if (depth[s] < denseDepth && !IsMatch(s) && depth[s] >= k) value[s] = rows++ * stride;
        _denseEnd = rows * stride;
        _matchLimit = matchRows * stride;
        _shallowLimit = shallowRows * stride;
        _start = value[0];

        // Sparse records in depth-first order.
        long sparseSize = 0;
        var stack = new Stack<int>();
        stack.Push(0);
        while (stack.Count > 0)
        {
            int s = stack.Pop();
            if (depth[s] >= denseDepth)
            {
                value[s] = (int)Math.Min(int.MaxValue, _denseEnd + sparseSize);
                sparseSize += 3 + 2 * (kids[s]?.Count ?? 0);
                if (IsMatch(s)) { matchIndex[s] = byMatch.Count; byMatch.Add(s); }
            }
            if (kids[s] is { } list)
                for (int j = list.Count - 1; j >= 0; j--) stack.Push(list[j].Child);
        }
        if (_denseEnd + sparseSize > int.MaxValue) throw new ArgumentException("literal set too large", nameof(literals));

        _dense = new int[_denseEnd];
        _sparse = new int[sparseSize];
        foreach (int s in order)
        {
            if (depth[s] < denseDepth)
            {
                var row = _dense.AsSpan(value[s], stride);
                if (s == 0) row.Fill(_start);
                else _dense.AsSpan(value[fail[s]], stride).CopyTo(row);
                if (kids[s] is { } list)
                    foreach (var (c, t) in list) row[c] = value[t];
                row[classes] = IsMatch(s) ? matchIndex[s] : depth[s];
            }
            else
            {
                int o = value[s] - _denseEnd;
                var list = kids[s];
                _sparse[o] = list?.Count ?? 0;
                _sparse[o + 1] = value[fail[s]];
                _sparse[o + 2] = IsMatch(s) ? matchIndex[s] : -1;
                for (int j = 0; j < (list?.Count ?? 0); j++)
                {
                    _sparse[o + 3 + 2 * j] = list![j].Class;
                    _sparse[o + 4 + 2 * j] = value[list[j].Child];
                }
            }
        }

        // Outputs.
        int matches = byMatch.Count;
        _ownStart = new int[matches + 1];
        _dictLink = new int[matches];
        _longest = new int[matches];
        var ids = new List<int>();
        for (int m = 0; m < matches; m++)
        {
            int s = byMatch[m];
            _ownStart[m] = ids.Count;
            if (own[s] is { } list) ids.AddRange(list);
            _dictLink[m] = dict[s] >= 0 ? matchIndex[dict[s]] : -1;
            _longest[m] = own[s] is not null ? depth[s] : depth[dict[s]];
        }
        _ownStart[matches] = ids.Count;
        _ownIds = ids.ToArray();

        // Entry table: the state of each depth-k node, keyed by its path's classes.
        var entries = new List<(uint Key, int State)>();
        var path = new Stack<(int Node, uint Key)>();
        path.Push((0, 0));
        while (path.Count > 0)
        {
            var (s, key) = path.Pop();
            if (depth[s] == k) { entries.Add((key, value[s])); continue; }
            if (kids[s] is { } list)
                foreach (var (c, t) in list) path.Push((t, key | (uint)c << (8 * depth[s])));
        }
        int entryBits = Math.Max(4, 64 - BitOperations.LeadingZeroCount((ulong)entries.Count * 2 - 1));
        _entryShift = 32 - entryBits;
        _entry = new ulong[1 << entryBits];
        Array.Fill(_entry, ulong.MaxValue);
        foreach (var (key, state) in entries)
        {
            int slot = (int)((key * HashMultiplier) >> _entryShift);
            while ((uint)_entry[slot] != uint.MaxValue) slot = (slot + 1) & (_entry.Length - 1);
            _entry[slot] = (ulong)key << 32 | (uint)state;
        }

        _fold = ignoreAsciiCase ? 0x2020202020202020UL : 0;
        BuildPrefilter();
    }

    public IReadOnlyList<byte[]> Literals => _literals;

    public bool IgnoreAsciiCase { get; }

    /// <summary>Number of automaton states (trie nodes).</summary>
    public int StateCount { get; }

    /// <summary>Number of byte classes.</summary>
    public int ClassCount => _classCount;

    /// <summary>k: the bytes fingerprinted by the prefilter and through which the automaton is entered.</summary>
    internal int PrefixLength => _k;

    /// <summary>Number of states held as dense rows.</summary>
    public int DenseStateCount => _denseEnd / _stride;

    /// <summary>Bytes held by the compiled automaton and prefilter (the copies of the literals not counted).</summary>
    public long MemoryBytes =>
        4L * (_dense.Length + _sparse.Length + _ownStart.Length + _ownIds.Length + _dictLink.Length + _longest.Length)
        + 8L * _entry.Length + PrefilterBytes + _classes.Length;

    private byte Fold(byte b) => IgnoreAsciiCase && (uint)(b - 'A') <= 'Z' - 'A' ? (byte)(b | 0x20) : b;

    public int Find(ReadOnlySpan<byte> haystack) => Find(haystack, out _);

    public int Find(ReadOnlySpan<byte> haystack, out int literal)
    {
        int end = -1;
        int m = Run(haystack, null, ref end);
        literal = -1;
        if (m < 0) return -1;
        // The longest literal ending there: the state's own, else its nearest suffix's.
        if (_ownStart[m] == _ownStart[m + 1]) m = _dictLink[m];
        literal = _ownIds[_ownStart[m]];
        return end - _longest[m];
    }

    public void FindAll(ReadOnlySpan<byte> haystack, List<LiteralHit> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        int end = -1;
        Run(haystack, output, ref end);
    }

    private void Report(int m, int end, List<LiteralHit> output)
    {
        do
        {
            for (int j = _ownStart[m]; j < _ownStart[m + 1]; j++)
            {
                int id = _ownIds[j];
                output.Add(new LiteralHit(id, end - _literals[id].Length));
            }
            m = _dictLink[m];
        } while (m >= 0);
    }

    /// <summary>
    /// Scans <paramref name="hay"/>. With <paramref name="output"/> null, stops at the first state with output and
    /// returns its match index (its end in <paramref name="end"/>); otherwise reports every occurrence. Returns -1
    /// when it stops without one.
    /// </summary>
    private int Run(ReadOnlySpan<byte> hay, List<LiteralHit>? output, ref int end)
    {
        int n = hay.Length;
        int last = n - _k; // the last position a literal can start at
        if (last < 0) return -1;
        if (_mode == ScanMode.Automaton) return RunAutomaton(hay, 0, output, ref end);
        ref byte h = ref MemoryMarshal.GetReference(hay);
        long work = 0;     // automaton bytes run from candidates since windowStart, plus a cost per candidate
        int windowStart = 0;
        int block = 0, covered = 0, i;
        ulong mask = 0;
        while (true)
        {
            if (_startBytes is null)
            {
                while (mask == 0)
                {
                    block += covered;
                    if (block > last) return -1;
                    mask = CandidateMask(ref h, n, block, out covered);
                }
                i = block + BitOperations.TrailingZeroCount(mask);
            }
            else
            {
                int j = hay[block..].IndexOfAny(_startBytes);
                if (j < 0) return -1;
                i = block + j;
            }
            int resume = Verify(ref h, n, i, output, ref end, out int m);
            if (resume < 0) return m;
            if (resume > last) return -1;
            work += resume - i + CandidateCost;
            if (resume - windowStart >= DensityWindow)
            {
                // Candidates so dense that the automaton alone would be faster: let it run the rest.
                if (2 * work > 3 * (resume - windowStart) && _mode == ScanMode.Auto)
                    return RunAutomaton(hay, resume, output, ref end);
                work = 0;
                windowStart = resume;
            }
            if (_startBytes is not null) block = resume;
            else if (resume - block < covered) mask &= ~0UL << (resume - block);
            else
            {
                block = resume;
                mask = 0;
                covered = 0;
            }
        }
    }

    /// <summary>
    /// Runs the automaton from candidate <paramref name="i"/> until its state is shallower than k, reporting what it
    /// passes, and returns where the scan resumes: every occurrence starting before that has been reported, none
    /// starting there or later. For <see cref="Find"/> (<paramref name="output"/> null) returns -1 at the first state
    /// with output instead, its match index in <paramref name="match"/>.
    /// </summary>
    private int Verify(ref byte h, int n, int i, List<LiteralHit>? output, ref int end, out int match)
    {
        ref int dense = ref MemoryMarshal.GetArrayDataReference(_dense);
        ref int sparse = ref MemoryMarshal.GetArrayDataReference(_sparse);
        ref byte cls = ref MemoryMarshal.GetArrayDataReference(_classes);
        int denseEnd = _denseEnd, meta = _classCount;
        match = -1;
        int state = EntryState(ref h, ref cls, i);
        if (state < 0) return i + 1;
        int p = i + _k;
        while (true)
        {
            int m;
            if (state >= denseEnd)
            {
                int o = state - denseEnd;
                m = Unsafe.Add(ref sparse, o + 2);
                if (m >= 0)
                {
                    if (output is null) { end = p; match = m; return -1; }
                    Report(m, p, output);
                }
                if (p >= n) return n;
                int c = Unsafe.Add(ref cls, Unsafe.Add(ref h, p++));
                state = Unsafe.Add(ref sparse, o) != 0 && Unsafe.Add(ref sparse, o + 3) == c ? Unsafe.Add(ref sparse, o + 4) : SparseStep(o, c);
                continue;
            }
            if (state < _shallowLimit)
            {
                m = Unsafe.Add(ref dense, state + meta);
                if (state >= _matchLimit) return p - m; // m is the depth
                if (output is null) { end = p; match = m; return -1; }
                Report(m, p, output);
            }
            if (p >= n) return n;
            state = Unsafe.Add(ref dense, state + Unsafe.Add(ref cls, Unsafe.Add(ref h, p++)));
        }
    }

    /// <summary>The state after the k bytes at <paramref name="i"/> from the start state, or -1 when no literal begins with them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int EntryState(ref byte h, ref byte cls, int i)
    {
        uint key = Unsafe.Add(ref cls, Unsafe.Add(ref h, i));
        if (_k > 1) key |= (uint)Unsafe.Add(ref cls, Unsafe.Add(ref h, i + 1)) << 8;
        if (_k > 2) key |= (uint)Unsafe.Add(ref cls, Unsafe.Add(ref h, i + 2)) << 16;
        if (_k > 3) key |= (uint)Unsafe.Add(ref cls, Unsafe.Add(ref h, i + 3)) << 24;
        ref ulong table = ref MemoryMarshal.GetArrayDataReference(_entry);
        int slotMask = _entry.Length - 1;
        for (int slot = (int)((key * HashMultiplier) >> _entryShift); ; slot = (slot + 1) & slotMask)
        {
            ulong e = Unsafe.Add(ref table, slot);
            if ((uint)(e >> 32) == key && (uint)e != uint.MaxValue) return (int)(uint)e;
            if ((uint)e == uint.MaxValue) return -1;
        }
    }

    /// <summary>The state after class <paramref name="c"/> from the sparse state whose record is at <paramref name="o"/>.</summary>
    private int SparseStep(int o, int c)
    {
        ref int sparse = ref MemoryMarshal.GetArrayDataReference(_sparse);
        while (true)
        {
            int count = Unsafe.Add(ref sparse, o);
            for (int j = 0; j < count; j++)
                if (Unsafe.Add(ref sparse, o + 3 + 2 * j) == c) return Unsafe.Add(ref sparse, o + 4 + 2 * j);
            int f = Unsafe.Add(ref sparse, o + 1);
            if (f < _denseEnd) return _dense[f + c];
            o = f - _denseEnd;
        }
    }

    /// <summary>The automaton alone from <paramref name="pos"/>, entered in the start state (exact there).</summary>
    private int RunAutomaton(ReadOnlySpan<byte> hay, int pos, List<LiteralHit>? output, ref int end)
    {
        int n = hay.Length;
        ref byte h = ref MemoryMarshal.GetReference(hay);
        ref int dense = ref MemoryMarshal.GetArrayDataReference(_dense);
        ref int sparse = ref MemoryMarshal.GetArrayDataReference(_sparse);
        ref byte cls = ref MemoryMarshal.GetArrayDataReference(_classes);
        int matchLimit = _matchLimit, denseEnd = _denseEnd, meta = _classCount;
        uint plainSpan = (uint)(denseEnd - matchLimit);
        int state = _start;
        int p = pos;
        while (true)
        {
            while ((uint)(state - matchLimit) < plainSpan)
            {
                if (p >= n) return -1;
                state = Unsafe.Add(ref dense, state + Unsafe.Add(ref cls, Unsafe.Add(ref h, p++)));
            }
            int m;
            if (state < matchLimit)
            {
                m = Unsafe.Add(ref dense, state + meta);
                if (output is null) { end = p; return m; }
                Report(m, p, output);
                if (p >= n) return -1;
                state = Unsafe.Add(ref dense, state + Unsafe.Add(ref cls, Unsafe.Add(ref h, p++)));
            }
            else
            {
                int o = state - denseEnd;
                m = Unsafe.Add(ref sparse, o + 2);
                if (m >= 0)
                {
                    if (output is null) { end = p; return m; }
                    Report(m, p, output);
                }
                if (p >= n) return -1;
                int c = Unsafe.Add(ref cls, Unsafe.Add(ref h, p++));
                state = Unsafe.Add(ref sparse, o) != 0 && Unsafe.Add(ref sparse, o + 3) == c ? Unsafe.Add(ref sparse, o + 4) : SparseStep(o, c);
            }
        }
    }
}
