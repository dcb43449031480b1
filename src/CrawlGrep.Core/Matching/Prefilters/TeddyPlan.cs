using System.Numerics;

namespace CrawlGrep.Core.Matching.Prefilters;

/// <summary>
/// Where <see cref="TeddySearcher"/> takes its fingerprint of every literal (the same <see cref="Length"/>
/// bytes from the same <see cref="Offset"/> in each) and which literals share each of the
/// <see cref="MaxBuckets"/> buckets.
/// <para>
/// A bucket fires at a position when, for each fingerprint byte, the byte's low nibble is the low nibble of
/// that byte of some literal in the bucket and its high nibble the high nibble of that byte of some (maybe
/// other) literal in the bucket. Its chance of firing on web text is estimated from
/// <see cref="ByteFrequencies"/> (corrected for neighbouring bytes of text going together), and every firing
/// costs a full comparison with each of its literals. The plan minimises the estimated time per haystack
/// byte: the cost of the scan (growing with the fingerprint length) plus, over the buckets, firing chance ×
/// (candidate cost + literals × comparison cost).
/// </para>
/// <para>
/// Literals with the same fingerprint bytes form a group that always shares a bucket (putting them apart
/// would only make two buckets fire where one did). Groups are placed most frequent first, each into the
/// bucket where it adds least to the estimate, so frequent fingerprints get buckets of their own and rare
/// ones share. Each fingerprint length from 1 to <see cref="MaxFingerprintLength"/> (at most the shortest
/// literal) and each offset up to <see cref="MaxOffset"/> that fits the shortest literal is tried; the cheapest
/// plan wins.
/// </para>
/// </summary>
internal sealed class TeddyPlan
{
    public const int MaxBuckets = 8;
    public const int MaxFingerprintLength = 3;

    /// <summary>The furthest offset tried (planning time grows with the offsets tried).</summary>
    public const int MaxOffset = 8;

    // Estimated costs in nanoseconds, measured on the benchmark corpus (8 literals, AVX2): per haystack byte
    // and fingerprint byte scanned, per candidate start (leaving the vector loop, mispredicted branches,
    // finding the buckets), per literal compared. Only their ratios matter.
    private const double ScanCost = 0.04, CandidateCost = 15, ComparisonCost = 3;

    // Bytes of text are not independent: measured firing rates of 2- and 3-byte fingerprints of words were
    // 3 to 4 times what the product of single-byte frequencies predicts, per byte after the first.
    private const double Correlation = 3;

    private TeddyPlan(int offset, int length, int[][] buckets, double cost)
    {
        Offset = offset;
        Length = length;
        Buckets = buckets;
        EstimatedCost = cost;
    }

    /// <summary>Offset of the fingerprint in every literal.</summary>
    public int Offset { get; }

    /// <summary>Fingerprint length in bytes (1 to <see cref="MaxFingerprintLength"/>).</summary>
    public int Length { get; }

    /// <summary>The literal ids of each bucket (<see cref="MaxBuckets"/> arrays, some maybe empty).</summary>
    public int[][] Buckets { get; }

    /// <summary>Estimated nanoseconds per haystack byte.</summary>
    public double EstimatedCost { get; }

    /// <summary>The cheapest plan for the literals.</summary>
    public static TeddyPlan Choose(IReadOnlyList<FoldedLiteral> literals)
    {
        if (literals.Count == 0) throw new ArgumentException("At least one literal is required.", nameof(literals));
        int shortest = literals.Min(l => l.Length);
        TeddyPlan? best = null;
        for (int length = 1; length <= Math.Min(MaxFingerprintLength, shortest); length++)
            for (int offset = 0; offset + length <= shortest && offset <= MaxOffset; offset++)
            {
                var plan = Make(literals, offset, length);
                if (best is null || plan.EstimatedCost < best.EstimatedCost) best = plan;
            }
        return best!;
    }

    /// <summary>The bucket assignment for a given fingerprint window.</summary>
    public static TeddyPlan Make(IReadOnlyList<FoldedLiteral> literals, int offset, int length)
    {
        // Group literals by their fingerprint bytes (already lower-cased where folded).
        var groups = new Dictionary<string, Group>();
        for (int id = 0; id < literals.Count; id++)
        {
            var lit = literals[id];
            if (offset + length > lit.Length) throw new ArgumentException("The fingerprint does not fit every literal.", nameof(length));
            var key = new string(Enumerable.Range(offset, length).Select(i => (char)lit[i]).ToArray());
            if (!groups.TryGetValue(key, out var g)) groups[key] = g = new Group(key, Nibbles.Of(lit, offset, length));
            g.Ids.Add(id);
        }

        var buckets = new Bucket[MaxBuckets];
        for (int b = 0; b < MaxBuckets; b++) buckets[b] = new Bucket(length);
        foreach (var g in groups.Values.OrderByDescending(g => g.Nibbles.Chance()).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            int choice = 0;
            double least = double.MaxValue;
            for (int b = 0; b < MaxBuckets; b++)
            {
                double added = buckets[b].CostWith(g) - buckets[b].Cost();
                if (added < least) (least, choice) = (added, b);
            }
            buckets[choice].Add(g);
        }

        double cost = ScanCost * length + buckets.Sum(b => b.Cost());
        return new TeddyPlan(offset, length, buckets.Select(b => b.Ids.Order().ToArray()).ToArray(), cost);
    }

    private sealed record Group(string Key, Nibbles Nibbles)
    {
        public List<int> Ids { get; } = [];
    }

    private sealed class Bucket(int length)
    {
        public List<int> Ids { get; } = [];
        private Nibbles _nibbles = new(length);
        private double _cost;

        public double Cost() => _cost;

        public double CostWith(Group g) => Estimate(Ids.Count == 0 ? g.Nibbles : _nibbles.Union(g.Nibbles), Ids.Count + g.Ids.Count);

        public void Add(Group g)
        {
            _nibbles = Ids.Count == 0 ? g.Nibbles : _nibbles.Union(g.Nibbles);
            Ids.AddRange(g.Ids);
            _cost = Estimate(_nibbles, Ids.Count);
        }

        private static double Estimate(Nibbles n, int literals) => n.Chance() * (CandidateCost + ComparisonCost * literals);
    }

    /// <summary>For each fingerprint byte, the set of low nibbles and the set of high nibbles a bucket accepts.</summary>
    private readonly struct Nibbles
    {
        private readonly ushort[] _low, _high;

        public Nibbles(int length)
        {
            _low = new ushort[length];
            _high = new ushort[length];
        }

        public static Nibbles Of(FoldedLiteral lit, int offset, int length)
        {
            var n = new Nibbles(length);
            for (int k = 0; k < length; k++)
            {
                byte c = lit[offset + k];
                n._low[k] = (ushort)(1 << (c & 0xF));
                n._high[k] = (ushort)(1 << (c >> 4));
                if (lit.FoldAt(offset + k) != 0) n._high[k] |= (ushort)(1 << ((c & ~0x20) >> 4));
            }
            return n;
        }

        public Nibbles Union(Nibbles other)
        {
            var n = new Nibbles(_low.Length);
            for (int k = 0; k < _low.Length; k++)
            {
                n._low[k] = (ushort)(_low[k] | other._low[k]);
                n._high[k] = (ushort)(_high[k] | other._high[k]);
            }
            return n;
        }

        /// <summary>Estimated chance that a position of web text passes every fingerprint byte.</summary>
        public double Chance()
        {
            double chance = 1;
            for (int k = 0; k < _low.Length; k++)
            {
                long perMillion = 0;
                for (uint highs = _high[k]; highs != 0; highs &= highs - 1)
                {
                    int hi = BitOperations.TrailingZeroCount(highs);
                    for (uint lows = _low[k]; lows != 0; lows &= lows - 1)
                        perMillion += ByteFrequencies.Of((byte)(hi << 4 | BitOperations.TrailingZeroCount(lows)));
                }
                chance *= Math.Min(1, perMillion / 1e6 * (k == 0 ? 1 : Correlation));
            }
            return chance;
        }
    }
}
