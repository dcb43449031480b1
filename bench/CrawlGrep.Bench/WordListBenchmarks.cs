using System.Text;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using CrawlGrep.Core.Matching;

namespace CrawlGrep.Bench;

/// <summary>
/// The matcher on word lists over the CC-shaped HTML corpus, one thread: -w with the 1,000 and 10,000 most frequent
/// words of the corpus (whole-word lookup), the same under -i, a 1,000-word list with one phrase in it (which takes
/// the automaton and a word-edge check per occurrence instead), and 8 common words alternated without -w (the
/// occurrences are the matches). Each as every match (the hits table) and as matching lines (grep -c, -l).
/// </summary>
[Config(typeof(Config))]
public class WordListBenchmarks
{
    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(5).WithInvocationCount(1).WithUnrollFactor(1));
            AddColumn(new RateColumn("GB/s", "Gigabytes (10^9) of corpus text matched per second, from the mean time", () => HtmlCorpus.Length, 1e9));
        }
    }

    private byte[] _text = [];
    private readonly List<LineMatch> _output = new();
    private LineMatcher _words1000 = null!, _words10000 = null!, _wordsIgnoreCase = null!, _wordsAndPhrase = null!, _alternation = null!;

    [GlobalSetup]
    public void Setup()
    {
        _text = HtmlCorpus.Bytes;
        var common = CommonWords(_text, 10_000);
        var words = new MatchOptions { FixedStrings = true, WordRegexp = true };
        _words1000 = new(new PatternSet(common[..1000], words));
        _words10000 = new(new PatternSet(common, words));
        // -i: words without k or s, whose case classes hold non-ASCII letters.
        _wordsIgnoreCase = new(new PatternSet(common.Where(w => !w.AsSpan().ContainsAny("ks")).Take(1000).ToArray(), words with { IgnoreCase = true }));
        _wordsAndPhrase = new(new PatternSet([.. common[..999], "of the"], words));
        _alternation = new(new PatternSet([string.Join('|', common[20..28])], new MatchOptions()));
    }

    /// <summary>The most frequent lowercase ASCII words (3 to 14 letters) of the first 64 MB of text, most frequent first.</summary>
    private static string[] CommonWords(byte[] text, int count)
    {
        string s = Encoding.UTF8.GetString(text, 0, Math.Min(text.Length, 64_000_000));
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Match m in Regex.Matches(s, @"\b[a-z]{3,14}\b"))
            counts[m.Value] = counts.GetValueOrDefault(m.Value) + 1;
        return counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(count).Select(kv => kv.Key).ToArray();
    }

    private int Run(LineMatcher m, bool firstPerLine)
    {
        m.Match(_text, _output, firstPerLine);
        return _output.Count;
    }

    [Benchmark(Description = "-w 1,000 words")] public int Words1000() => Run(_words1000, false);
    [Benchmark(Description = "-w 1,000 words, matching lines")] public int Words1000Lines() => Run(_words1000, true);
    [Benchmark(Description = "-w 10,000 words")] public int Words10000() => Run(_words10000, false);
    [Benchmark(Description = "-w 10,000 words, matching lines")] public int Words10000Lines() => Run(_words10000, true);
    [Benchmark(Description = "-w -i 1,000 words, matching lines")] public int WordsIgnoreCaseLines() => Run(_wordsIgnoreCase, true);
    [Benchmark(Description = "-w 999 words and a phrase, matching lines")] public int WordsAndPhraseLines() => Run(_wordsAndPhrase, true);
    [Benchmark(Description = "8 common words alternated")] public int Alternation() => Run(_alternation, false);
    [Benchmark(Description = "8 common words alternated, matching lines")] public int AlternationLines() => Run(_alternation, true);
}
