using System.Text;
using CrawlGrep.Core.Matching.Prefilters;

namespace CrawlGrep.Tests.Matching;

/// <summary>
/// Random literal sets and haystacks for the literal searchers, and the check of a searcher against
/// <see cref="NaiveLiteralSearch"/>: FindAll gives the same set of hits, Find a valid start (and, as every
/// searcher here promises, the leftmost one).
/// </summary>
internal static class LiteralSearchChecks
{
    public static readonly SimdWidth[] Widths = [SimdWidth.Scalar, SimdWidth.Vector128, SimdWidth.Vector256];

    /// <summary>Offsets where a vector loop changes blocks, or its last overlapping block begins.</summary>
    public static readonly int[] VectorEdges = [0, 1, 2, 15, 16, 17, 31, 32, 33, 47, 48, 49, 63, 64, 65];

    // Byte pools. "@[`{" and friends differ from letters only in bit 0x20: a case fold must not confuse them.
    private static readonly byte[] Tiny = "abAB@`"u8.ToArray();
    private static readonly byte[] Letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"u8.ToArray();
    private static readonly byte[] Ascii = Enumerable.Range(0x20, 0x5F).Select(b => (byte)b).Concat("\t\n\r"u8.ToArray()).ToArray();
    private static readonly byte[] Web = "<div class=\"main\">The quick brown fox, href='/a/b.html' </p>\n@[`{_^~]}ZzAa0123456789"u8.ToArray();
    private static readonly byte[] Utf8 = Encoding.UTF8.GetBytes("éÉßüÜ日本語€—ąĄ").Concat("aAzZ@`[{"u8.ToArray()).ToArray();
    private static readonly byte[] AnyByte = Enumerable.Range(0, 256).Select(b => (byte)b).ToArray();
    private static readonly byte[][] Pools = [Tiny, Letters, Ascii, Web, Utf8, AnyByte];

    public static byte[] Pool(Random rng) => Pools[rng.Next(Pools.Length)];

    public static byte[] RandomBytes(Random rng, byte[] pool, int length)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++) bytes[i] = pool[rng.Next(pool.Length)];
        return bytes;
    }

    /// <summary>A literal length: mostly short, sometimes up to 20.</summary>
    public static int LiteralLength(Random rng) => rng.Next(3) == 0 ? rng.Next(1, 21) : rng.Next(1, 9);

    /// <summary>Flips the case of ASCII letters at random.</summary>
    public static byte[] ScrambleCase(Random rng, byte[] bytes)
    {
        var copy = (byte[])bytes.Clone();
        for (int i = 0; i < copy.Length; i++)
            if ((uint)((copy[i] | 0x20) - 'a') <= 'z' - 'a' && rng.Next(2) == 0) copy[i] ^= 0x20;
        return copy;
    }

    /// <summary>Copies <paramref name="literal"/> (case scrambled when <paramref name="ignoreCase"/>) into the haystack at <paramref name="at"/> if it fits.</summary>
    public static void Plant(Random rng, byte[] hay, byte[] literal, int at, bool ignoreCase)
    {
        if (at < 0 || at + literal.Length > hay.Length) return;
        (ignoreCase ? ScrambleCase(rng, literal) : literal).CopyTo(hay, at);
    }

    /// <summary>Every searcher that takes this literal set: the factory's choice, and each kind at each vector width.</summary>
    public static List<(string Name, ILiteralSearcher Searcher)> SearchersFor(byte[][] literals, bool ignoreCase, Random rng)
    {
        var list = new List<(string, ILiteralSearcher)> { ("factory", LiteralSearcherFactory.Create(literals, ignoreCase)) };
        foreach (var width in Widths)
        {
            if (literals.Length == 1) list.Add(($"single/{width}", new SingleLiteralSearcher(literals[0], ignoreCase, width)));
            list.Add(($"teddy/{width}", new TeddySearcher(literals, ignoreCase, width)));
        }
        int shortest = literals.Min(l => l.Length);
        int length = rng.Next(1, Math.Min(3, shortest) + 1), offset = rng.Next(0, shortest - length + 1);
        var w = Widths[rng.Next(Widths.Length)];
        list.Add(($"teddy/{w}/fingerprint {offset},{length}", new TeddySearcher(literals, ignoreCase, w, (offset, length))));
        if (literals.All(l => l.Length == 1)) list.Add(("byteset", new ByteSetSearcher(literals, ignoreCase)));
        return list;
    }

    /// <summary>Checks every searcher (all over the same literals) against the naive search of <paramref name="hay"/>.</summary>
    public static void AssertAgree(IEnumerable<(string Name, ILiteralSearcher Searcher)> searchers, byte[] hay)
    {
        List<LiteralHit>? expected = null;
        var actual = new List<LiteralHit>();
        foreach (var (name, searcher) in searchers)
        {
            expected ??= Sorted(NaiveLiteralSearch.FindAll(hay, searcher.Literals, searcher.IgnoreAsciiCase));
            actual.Clear();
            searcher.FindAll(hay, actual);
            actual = Sorted(actual);
            if (!actual.SequenceEqual(expected))
                Assert.Fail($"{name}: FindAll gave {Hits(actual)}, expected {Hits(expected)}\n{Describe(searcher, hay)}");
            int found = searcher.Find(hay);
            if (!NaiveLiteralSearch.IsValidFind(found, expected, searcher.Literals))
                Assert.Fail($"{name}: Find gave {found}, not valid for {Hits(expected)}\n{Describe(searcher, hay)}");
            AssertFindNamesALiteral(name, searcher, hay, expected, found);
            int leftmost = expected.Count == 0 ? -1 : expected[0].Start;
            if (found != leftmost) Assert.Fail($"{name}: Find gave {found}, not the leftmost start {leftmost}\n{Describe(searcher, hay)}");
        }
    }

    /// <summary>Find with the literal id: the same answer, and the literal named occurs there.</summary>
    public static void AssertFindNamesALiteral(string name, ILiteralSearcher searcher, byte[] hay, List<LiteralHit> expected, int found)
    {
        int at = searcher.Find(hay, out int literal);
        if (at != found) Assert.Fail($"{name}: Find with the literal gave {at}, without {found}\n{Describe(searcher, hay)}");
        if (at >= 0 && !expected.Contains(new LiteralHit(literal, at)))
            Assert.Fail($"{name}: Find named literal {literal} at {at}, which does not occur there\n{Describe(searcher, hay)}");
        if (at < 0 && literal != -1) Assert.Fail($"{name}: no occurrence, yet literal {literal}");
    }

    private static List<LiteralHit> Sorted(List<LiteralHit> hits) =>
        hits.OrderBy(h => h.Start).ThenBy(h => h.Literal).ToList();

    private static string Hits(List<LiteralHit> hits) =>
        hits.Count > 20 ? $"{hits.Count} hits: {string.Join(" ", hits.Take(20).Select(h => $"{h.Literal}@{h.Start}"))} ..." : $"[{string.Join(" ", hits.Select(h => $"{h.Literal}@{h.Start}"))}]";

    private static string Describe(ILiteralSearcher searcher, byte[] hay) =>
        $"ignoreCase={searcher.IgnoreAsciiCase} literals=[{string.Join(", ", searcher.Literals.Select(Escape))}]\nhaystack ({hay.Length}) = {Escape(hay)}";

    public static string Escape(byte[] bytes) =>
        "\"" + string.Concat(bytes.Select(b => b is >= 0x20 and < 0x7F and not (byte)'"' and not (byte)'\\' ? ((char)b).ToString() : $"\\x{b:X2}")) + "\"";
}
