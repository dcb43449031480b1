using System.Text;
using CrawlGrep.Core.Matching.Prefilters;
using Mode = CrawlGrep.Core.Matching.Prefilters.AhoCorasickSearcher.ScanMode;

namespace CrawlGrep.Tests.Matching;

public class AhoCorasickSearcherTests
{
    // Byte pools the literals and texts are drawn from: a tiny alphabet (many overlaps and partial matches), letters,
    // and bytes around the case-folding and UTF-8 edges ('@' and '`', '[' and '{' differ only in bit 5 as letters do).
    private static readonly byte[] Tiny = "abAB"u8.ToArray();
    private static readonly byte[] Letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"u8.ToArray();
    private static readonly byte[] Mixed = [.. "aAbBzZ@`[{ \t\r0_-\xff"u8.ToArray(), 0x00, 0x7F, 0x80, 0xC3, 0xA9, 0xE6, 0x97, 0xA5, 0xF0, 0x9F, 0x9A, 0x80];
    private static readonly string[] Utf8Words = ["é", "日本", "🚀", "naïve", "Grüße", "привет", "ÉCOLE", "x→y"];

    /// <summary>The public configuration and internal ones that force every code path: sparse states, the scalar scan, each scan mode.</summary>
    private static IEnumerable<AhoCorasickSearcher> Searchers(List<byte[]> literals, bool ignoreCase)
    {
        yield return new AhoCorasickSearcher(literals, ignoreCase);
        yield return new AhoCorasickSearcher(literals, ignoreCase, denseBudget: 0, vectorScan: true, Mode.Prefilter);
        yield return new AhoCorasickSearcher(literals, ignoreCase, denseBudget: 0, vectorScan: false, Mode.Prefilter);
        yield return new AhoCorasickSearcher(literals, ignoreCase, denseBudget: 0, vectorScan: true, Mode.Automaton);
        yield return new AhoCorasickSearcher(literals, ignoreCase, denseBudget: 1 << 30, vectorScan: true, Mode.Auto);
    }

    private static List<LiteralHit> Sorted(IEnumerable<LiteralHit> hits) => hits.OrderBy(h => h.Start).ThenBy(h => h.Literal).ToList();

    /// <summary>FindAll equals the reference (as a set, and without repeats); Find meets the contract; also on suffixes of the text.</summary>
    private static void Check(IReadOnlyList<AhoCorasickSearcher> searchers, byte[] hay, string what)
    {
        var first = searchers[0];
        var expected = Sorted(NaiveLiteralSearch.FindAll(hay, first.Literals, first.IgnoreAsciiCase));
        foreach (var s in searchers)
        {
            var actual = new List<LiteralHit>();
            s.FindAll(hay, actual);
            var sorted = Sorted(actual);
            if (!expected.SequenceEqual(sorted))
                Assert.Fail($"{what}: FindAll differs; expected {expected.Count} hits, got {actual.Count}; first difference: " +
                            $"missing {string.Join(",", expected.Except(sorted).Take(3))} extra {string.Join(",", sorted.Except(expected).Take(3))}");
            int found = s.Find(hay);
            Assert.True(NaiveLiteralSearch.IsValidFind(found, expected, s.Literals), $"{what}: Find returned {found}");
            LiteralSearchChecks.AssertFindNamesALiteral(what, s, hay, expected, found);
        }
        // Find on suffixes, as grep calls it after each line
        foreach (int skip in new[] { 1, 33, hay.Length / 2 })
        {
            if (skip > hay.Length) continue;
            var rest = hay.AsSpan(skip).ToArray();
            var all = NaiveLiteralSearch.FindAll(rest, first.Literals, first.IgnoreAsciiCase);
            foreach (var s in searchers)
                Assert.True(NaiveLiteralSearch.IsValidFind(s.Find(rest), all, s.Literals), $"{what}: Find after {skip} bytes");
        }
    }

    private static byte[] RandomBytes(Random rng, byte[] pool, int length)
    {
        var b = new byte[length];
        for (int i = 0; i < length; i++) b[i] = pool[rng.Next(pool.Length)];
        return b;
    }

    private static byte[] RandomCase(Random rng, byte[] b)
    {
        var r = (byte[])b.Clone();
        for (int i = 0; i < r.Length; i++)
            if ((uint)((r[i] | 0x20) - 'a') <= 'z' - 'a' && rng.Next(2) == 0) r[i] ^= 0x20;
        return r;
    }

    /// <summary>
    /// Literals of lengths min..max from <paramref name="pool"/>, with some UTF-8 words, some literals made from others
    /// (prefix, suffix, infix, extension), and some duplicates (the same bytes, or another case of them).
    /// </summary>
    private static List<byte[]> RandomLiterals(Random rng, int count, byte[] pool, int min, int max)
    {
        var lits = new List<byte[]>();
        while (lits.Count < count)
        {
            int kind = lits.Count == 0 ? 0 : rng.Next(10);
            byte[] lit;
            var other = lits.Count > 0 ? lits[rng.Next(lits.Count)] : [];
            switch (kind)
            {
                case 1 when other.Length > min: lit = other[..rng.Next(min, other.Length)]; break;                    // prefix
                case 2 when other.Length > min: lit = other[(other.Length - rng.Next(min, other.Length))..]; break;   // suffix
                case 3 when other.Length > min + 1:                                                                    // infix
                    int len = rng.Next(min, other.Length - 1);
                    int at = rng.Next(1, other.Length - len + 1);
                    lit = other.AsSpan(at, Math.Min(len, other.Length - at)).ToArray();
                    break;
                case 4 when other.Length < max: lit = [.. other, .. RandomBytes(rng, pool, rng.Next(1, max - other.Length + 1))]; break;
                case 5: lit = other; break;                                                                             // duplicate
                case 6: lit = RandomCase(rng, other); break;                                                            // duplicate in another case
                case 7 when max >= 4: lit = Encoding.UTF8.GetBytes(Utf8Words[rng.Next(Utf8Words.Length)]); break;
                default: lit = RandomBytes(rng, pool, rng.Next(min, max + 1)); break;
            }
            if (lit.Length >= min && !lit.Contains((byte)'\n')) lits.Add(lit);
        }
        return lits;
    }

    /// <summary>Random text with literals planted at the ends, around 16/32/64-byte boundaries and at random.</summary>
    private static byte[] PlantedText(Random rng, List<byte[]> literals, byte[] pool, int length, bool ignoreCase)
    {
        var hay = RandomBytes(rng, pool, length);
        int[] anchors = [0, 15, 16, 17, 31, 32, 33, 63, 64, 65, 71, 72, 73, 127, 128, 129];
        int plants = 1 + rng.Next(Math.Max(2, length / 24));
        for (int j = 0; j < plants; j++)
        {
            var lit = literals[rng.Next(literals.Count)];
            if (ignoreCase) lit = RandomCase(rng, lit);
            if (lit.Length > length) continue;
            int at = rng.Next(4) switch
            {
                0 => length - lit.Length,                                            // ends at the end
                1 => Math.Min(anchors[rng.Next(anchors.Length)], length - lit.Length), // starts at a boundary
                2 => Math.Clamp(anchors[rng.Next(anchors.Length)] - lit.Length, 0, length - lit.Length), // ends at one
                _ => rng.Next(length - lit.Length + 1),
            };
            lit.CopyTo(hay, at);
        }
        if (rng.Next(4) == 0 && literals[0].Length <= length) literals[0].CopyTo(hay, 0);
        return hay;
    }

    public static TheoryData<int, bool> SetSizes()
    {
        var data = new TheoryData<int, bool>();
        foreach (int size in new[] { 1, 2, 65, 1000 })
            foreach (bool ic in new[] { false, true })
                data.Add(size, ic);
        return data;
    }

    [Theory]
    [MemberData(nameof(SetSizes))]
    public void MatchesReferenceOnPlantedText(int setSize, bool ignoreCase)
    {
        var rng = new Random(1000 * setSize + (ignoreCase ? 1 : 0));
        int rounds = setSize >= 1000 ? 4 : 30;
        for (int round = 0; round < rounds; round++)
        {
            // vary the shortest literal (1 to 5 bytes: each fingerprint width) and the pool
            int min = 1 + round % 5;
            int max = min + rng.Next(round % 3 == 0 ? 30 : 8);
            byte[] pool = (round % 3) switch { 0 => Tiny, 1 => Letters, _ => Mixed };
            var literals = RandomLiterals(rng, setSize, pool, min, max);
            var searchers = Searchers(literals, ignoreCase).ToList();
            int texts = setSize >= 1000 ? 2 : 4;
            for (int t = 0; t < texts; t++)
            {
                int length = rng.Next(4) switch { 0 => rng.Next(0, 80), 1 => rng.Next(80, 300), _ => rng.Next(300, setSize >= 1000 ? 700 : 1500) };
                var hay = PlantedText(rng, literals, pool, length, ignoreCase);
                Check(searchers, hay, $"set {setSize} round {round} text {t} (min {min}, max {max}, length {length})");
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void NoHitsInTextWithoutTheLiterals(bool ignoreCase)
    {
        var rng = new Random(5);
        for (int round = 0; round < 8; round++)
        {
            // letters and '`', '{'; the text has neither, but '@' and '[', which the scan's ASCII-case fold takes for '`' and '{'
            var literals = RandomLiterals(rng, 1 + rng.Next(500), [.. Letters, .. "`{`{`{"u8], 1 + round % 5, 12);
            foreach (var s in Searchers(literals, ignoreCase))
            {
                var hay = RandomBytes(rng, [.. "0123456789 <>/=\"@[@[@[\t\r"u8, 0xFF], rng.Next(0, 3000));
                var hits = new List<LiteralHit>();
                s.FindAll(hay, hits);
                Assert.Empty(hits);
                Assert.Equal(-1, s.Find(hay));
            }
            // random letters: whatever occurs is exactly what the reference finds (long literals: usually nothing)
            var letters = RandomBytes(rng, Letters, rng.Next(0, 1500));
            Check(Searchers(literals, ignoreCase).ToList(), letters, $"random letters, round {round}");
        }
    }

    [Fact]
    public void LongRandomTextMatchesReference()
    {
        // long enough for the switch from the prefilter to the automaton alone (dense candidates) to happen mid-text
        var rng = new Random(11);
        foreach (var pool in new[] { Tiny, Letters, Mixed })
        {
            var literals = RandomLiterals(rng, 65, pool, 2, 6);
            var hay = PlantedText(rng, literals, pool, 24_000, ignoreCase: false);
            Check(Searchers(literals, false).ToList(), hay, "24 KB text");
        }
    }

    [Fact]
    public void DuplicatesAreEachReported()
    {
        var lits = new List<byte[]> { "abc"u8.ToArray(), "abc"u8.ToArray(), "ABC"u8.ToArray(), "bc"u8.ToArray() };
        var s = new AhoCorasickSearcher(lits, ignoreAsciiCase: true);
        var hits = new List<LiteralHit>();
        s.FindAll("xxaBcxx"u8, hits);
        Assert.Equal(
            [new LiteralHit(0, 2), new LiteralHit(1, 2), new LiteralHit(2, 2), new LiteralHit(3, 3)],
            Sorted(hits));
        var exact = new AhoCorasickSearcher(lits, ignoreAsciiCase: false);
        hits.Clear();
        exact.FindAll("abcABC"u8, hits);
        Assert.Equal([new LiteralHit(0, 0), new LiteralHit(1, 0), new LiteralHit(3, 1), new LiteralHit(2, 3)], Sorted(hits));
    }

    [Fact]
    public void FindReturnsAnOccurrenceNothingEndsBefore()
    {
        // "bcd" ends before "abcdef" does, and starts after it: either start is valid, nothing else
        var s = new AhoCorasickSearcher(["abcdef"u8.ToArray(), "bcd"u8.ToArray()], false);
        Assert.Contains(s.Find("xxabcdefxx"u8), new[] { 2, 3 });
        Assert.Equal(3, s.Find("xxabcdxx"u8));
        var t = new AhoCorasickSearcher(["日本"u8.ToArray(), "本語"u8.ToArray()], false);
        Assert.Contains(t.Find("x日本語"u8), new[] { 1, 4 });
    }

    [Fact]
    public void EmptyHaystack()
    {
        foreach (var s in Searchers(["a"u8.ToArray(), "bcdefghij"u8.ToArray()], false))
        {
            Assert.Equal(-1, s.Find([]));
            var hits = new List<LiteralHit>();
            s.FindAll([], hits);
            Assert.Empty(hits);
        }
    }

    [Fact]
    public void EmptyLiteralOrSetIsRejected()
    {
        Assert.Throws<ArgumentException>(() => new AhoCorasickSearcher(["abc"u8.ToArray(), []], false));
        Assert.Throws<ArgumentException>(() => new AhoCorasickSearcher([], false));
        Assert.Throws<ArgumentNullException>(() => new AhoCorasickSearcher(null!, false));
    }

    [Fact]
    public void LiteralsAreCopied()
    {
        var lit = "abc"u8.ToArray();
        var s = new AhoCorasickSearcher([lit], false);
        lit[0] = (byte)'x';
        Assert.Equal(0, s.Find("abc"u8));
        Assert.Equal("abc"u8.ToArray(), s.Literals[0]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TenThousandLiteralsOn200KB(bool ignoreCase)
    {
        var rng = new Random(ignoreCase ? 21 : 20);
        // words of a 2,000-word vocabulary, their pairs, random strings, UTF-8; a text of vocabulary words with planted literals
        var vocabulary = Enumerable.Range(0, 2000).Select(_ => RandomBytes(rng, Letters, rng.Next(4, 11))).ToList();
        var set = new HashSet<string>(StringComparer.Ordinal);
        var literals = new List<byte[]>();
        void Add(byte[] b)
        {
            if (set.Add(Encoding.Latin1.GetString(b)) || rng.Next(50) == 0) literals.Add(b); // a few duplicates
        }
        while (literals.Count < 10_000)
        {
            switch (rng.Next(5))
            {
                case 0: Add(vocabulary[rng.Next(vocabulary.Count)]); break;
                case 1: Add([.. vocabulary[rng.Next(vocabulary.Count)], (byte)' ', .. vocabulary[rng.Next(vocabulary.Count)]]); break;
                case 2: Add(Encoding.UTF8.GetBytes(Utf8Words[rng.Next(Utf8Words.Length)] + rng.Next(100, 1000))); break;
                default: Add(RandomBytes(rng, Letters, rng.Next(5, 16))); break;
            }
        }
        var text = new List<byte>(210_000);
        while (text.Count < 200_000)
        {
            var word = rng.Next(20) == 0 ? literals[rng.Next(literals.Count)] : vocabulary[rng.Next(vocabulary.Count)];
            text.AddRange(ignoreCase ? RandomCase(rng, word) : word);
            text.Add(rng.Next(12) == 0 ? (byte)'\n' : (byte)' ');
        }
        var hay = text.ToArray();

        var expected = IndependentFindAll(hay, literals, ignoreCase);
        Assert.True(expected.Count > 5_000, $"only {expected.Count} occurrences");

        foreach (var s in new[]
                 {
                     new AhoCorasickSearcher(literals, ignoreCase),
                     new AhoCorasickSearcher(literals, ignoreCase, denseBudget: 0, vectorScan: true, Mode.Prefilter),
                     new AhoCorasickSearcher(literals, ignoreCase, denseBudget: 0, vectorScan: true, Mode.Automaton),
                 })
        {
            var actual = new List<LiteralHit>();
            s.FindAll(hay, actual);
            Assert.Equal(expected, Sorted(actual));
            // grep-style: the first occurrence from each line on
            int pos = 0, next = 0; // expected[next] is the first occurrence at or after pos
            while (pos < hay.Length)
            {
                while (next < expected.Count && expected[next].Start < pos) next++;
                int found = s.Find(hay.AsSpan(pos));
                if (found < 0)
                {
                    Assert.Equal(expected.Count, next);
                    break;
                }
                int at = pos + found;
                bool exists = false;
                for (int j = next; j < expected.Count && expected[j].Start <= at; j++)
                {
                    if (expected[j].Start == at) exists = true;
                    else Assert.True(expected[j].Start + s.Literals[expected[j].Literal].Length > at, $"an occurrence ends before {at}");
                }
                Assert.True(exists, $"no occurrence at {at}");
                int nl = hay.AsSpan(at).IndexOf((byte)'\n');
                if (nl < 0) break;
                pos = at + nl + 1;
            }
        }
    }

    [Fact]
    public void RandomBinaryLiteralsLowerThePrefix()
    {
        // 10,000 literals over all bytes: the shallow states would need 20,000 dense rows of 257 classes, so k drops
        var rng = new Random(30);
        var pool = Enumerable.Range(0, 256).Where(b => b != '\n').Select(b => (byte)b).ToArray();
        var literals = Enumerable.Range(0, 10_000).Select(_ => RandomBytes(rng, pool, rng.Next(4, 9))).ToList();
        var s = new AhoCorasickSearcher(literals, ignoreAsciiCase: true);
        Assert.True(s.PrefixLength < 4, $"k = {s.PrefixLength}");
        Assert.True(s.MemoryBytes < 40_000_000, $"{s.MemoryBytes} bytes");
        var hay = PlantedText(rng, literals, pool, 50_000, ignoreCase: true);
        var expected = IndependentFindAll(hay, literals, ignoreCase: true);
        Assert.True(expected.Count > 100, $"only {expected.Count} occurrences");
        var actual = new List<LiteralHit>();
        s.FindAll(hay, actual);
        Assert.Equal(expected, Sorted(actual));
        Assert.True(NaiveLiteralSearch.IsValidFind(s.Find(hay), expected, s.Literals));
    }

    /// <summary>Every substring of a literal's length, looked up in a dictionary of the (ASCII-case folded) literals; sorted.</summary>
    private static List<LiteralHit> IndependentFindAll(byte[] hay, List<byte[]> literals, bool ignoreCase)
    {
        byte Fold(byte b) => ignoreCase && (uint)(b - 'A') <= 'Z' - 'A' ? (byte)(b | 0x20) : b;
        string Key(ReadOnlySpan<byte> b)
        {
            var chars = new char[b.Length];
            for (int i = 0; i < b.Length; i++) chars[i] = (char)Fold(b[i]);
            return new string(chars);
        }
        var ids = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int id = 0; id < literals.Count; id++)
        {
            string key = Key(literals[id]);
            if (!ids.TryGetValue(key, out var list)) ids[key] = list = [];
            list.Add(id);
        }
        var lengths = literals.Select(l => l.Length).Distinct().Order().ToArray();
        string folded = Key(hay);
        var lookup = ids.GetAlternateLookup<ReadOnlySpan<char>>();
        var found = new List<LiteralHit>();
        for (int i = 0; i < hay.Length; i++)
            foreach (int len in lengths)
            {
                if (i + len > hay.Length) break;
                if (lookup.TryGetValue(folded.AsSpan(i, len), out var list))
                    foreach (int id in list) found.Add(new LiteralHit(id, i));
            }
        return Sorted(found);
    }
}
