using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using CrawlGrep.Core.Generation;
using CrawlGrep.Core.Matching.Prefilters;

namespace CrawlGrep.Bench;

/// <summary>
/// <see cref="AhoCorasickSearcher"/> on a ~110 MB plain WARC held in memory, as <c>grep -c -F -f terms.txt</c>
/// would use it: find the first occurrence, count the line, skip to the end of that line, repeat. The literal sets
/// are half words and word pairs that occur in the corpus, half random strings that (almost surely) do not.
/// </summary>
[Config(typeof(Config))]
public class AhoCorasickBenchmarks
{
    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(15).WithInvocationCount(1).WithUnrollFactor(1));
            AddColumn(StatisticColumn.Median, StatisticColumn.Min,
                new RateColumn("MB/s", "Megabytes (10^6) of text scanned per second, from the mean time", () => HtmlCorpus.Length, 1e6));
        }
    }

    private byte[] _text = [];
    private AhoCorasickSearcher _searcher = null!;

    [Params(1_000, 10_000)]
    public int Literals { get; set; }

    [Params(false, true)]
    public bool IgnoreCase { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _text = HtmlCorpus.Bytes;
        _searcher = new AhoCorasickSearcher(AhoCorasickCorpus.LiteralSet(_text, Literals, seed: 7), IgnoreCase);
    }

    [Benchmark(Description = "count matching lines")]
    public long CountLines() => CountMatchingLines(_searcher, _text);

    /// <summary>Lines of <paramref name="text"/> holding an occurrence of some literal, counted the way grep -c does.</summary>
    public static long CountMatchingLines(ILiteralSearcher searcher, ReadOnlySpan<byte> text)
    {
        long lines = 0;
        int pos = 0;
        while (pos < text.Length)
        {
            int found = searcher.Find(text[pos..]);
            if (found < 0) break;
            lines++;
            int nl = text[(pos + found)..].IndexOf((byte)'\n');
            if (nl < 0) break;
            pos += found + nl + 1;
        }
        return lines;
    }
}

/// <summary>The literal sets of <see cref="AhoCorasickBenchmarks"/> (the text is <see cref="HtmlCorpus"/>).</summary>
public static class AhoCorasickCorpus
{
    /// <summary>
    /// <paramref name="count"/> distinct literals: half drawn uniformly from the words (4-20 letters, lower case or
    /// capitalized, UTF-8 included, seen at least twice) and the pairs of such words (one space between, seen at
    /// least twice) of the first 16 MB of <paramref name="text"/>, half random lowercase strings of 5-14 letters; shuffled.
    /// </summary>
    public static List<byte[]> LiteralSet(ReadOnlySpan<byte> text, int count, int seed)
    {
        var words = new Dictionary<string, int>(StringComparer.Ordinal);
        var pairs = new Dictionary<string, int>(StringComparer.Ordinal);
        var sample = text[..Math.Min(text.Length, 16 << 20)];
        string? previous = null; // the word just before, when a single space follows it
        int i = 0;
        while (i < sample.Length)
        {
            if (!IsWordByte(sample[i])) { i++; previous = null; continue; }
            int start = i;
            while (i < sample.Length && IsWordByte(sample[i])) i++;
            string? word = i - start is >= 4 and <= 20 ? Encoding.UTF8.GetString(sample[start..i]) : null;
            if (word is not null && !IsPlainWord(word)) word = null;
            if (word is not null)
            {
                words[word] = words.GetValueOrDefault(word) + 1;
                if (previous is not null)
                {
                    string pair = previous + " " + word;
                    pairs[pair] = pairs.GetValueOrDefault(pair) + 1;
                }
            }
            previous = word is not null && i + 1 < sample.Length && sample[i] == ' ' && IsWordByte(sample[i + 1]) ? word : null;
            if (previous is not null) i++;
        }

        var rng = new Random(seed);
        var wordList = words.Where(kv => kv.Value >= 2).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToArray();
        var pairList = pairs.Where(kv => kv.Value >= 2).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToArray();
        rng.Shuffle(wordList);
        rng.Shuffle(pairList);
        var chosen = new HashSet<string>(StringComparer.Ordinal);
        int present = count / 2;
        foreach (var w in wordList.Take(present / 2)) chosen.Add(w);
        foreach (var p in pairList)
        {
            if (chosen.Count >= present) break;
            chosen.Add(p);
        }
        while (chosen.Count < count)
        {
            var sb = new StringBuilder();
            int len = rng.Next(5, 15);
            for (int j = 0; j < len; j++) sb.Append((char)('a' + rng.Next(26)));
            chosen.Add(sb.ToString());
        }
        var result = chosen.Order(StringComparer.Ordinal).Select(s => Encoding.UTF8.GetBytes(s)).ToList();
        rng.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(result));
        return result;
    }

    // Letters only; all lower case, or one capital then lower case (no hex digests, no all-caps noise).
    private static bool IsPlainWord(string w)
    {
        if (!w.All(char.IsLetter)) return false;
        return w.Skip(1).All(c => !char.IsUpper(c));
    }

    private static bool IsWordByte(byte b) => b >= 0x80 || (uint)((b | 0x20) - 'a') <= 'z' - 'a';
}
