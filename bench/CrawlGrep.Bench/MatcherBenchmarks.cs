using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using CrawlGrep.Core.Matching;

namespace CrawlGrep.Bench;

/// <summary>
/// The matcher alone (literal prefilter, then regex on candidate lines only) over ≥ 100 MB of
/// CC-shaped HTML in memory, one thread, for the pattern shapes users type. Every match is listed
/// (what the hits table gets); the large literal sets are also run as grep -c and -l need them,
/// one match per matching line. Their literals are those of <see cref="AhoCorasickCorpus"/>.
/// </summary>
[Config(typeof(Config))]
public class MatcherBenchmarks
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
    private LineMatcher _literal = null!, _ignoreCase = null!, _alternation = null!, _terms1000 = null!, _terms10000 = null!, _regex = null!;

    [GlobalSetup]
    public void Setup()
    {
        _text = HtmlCorpus.Bytes;
        _literal = Matcher(["crawlgrep"], new MatchOptions { FixedStrings = true });
        _ignoreCase = Matcher(["crawlgrep"], new MatchOptions { FixedStrings = true, IgnoreCase = true });
        _alternation = Matcher(["crawlgrep|lorem ipsum|wikipedia|example\\.org|zeppelin|quokka|\\+1-555-01|narwhal"], new MatchOptions());
        _terms1000 = Matcher(Terms(1000), new MatchOptions { FixedStrings = true });
        _terms10000 = Matcher(Terms(10000), new MatchOptions { FixedStrings = true });
        _regex = Matcher([@"[a-z0-9._]+@example\.(org|com|net)"], new MatchOptions());
    }

    private static LineMatcher Matcher(string[] patterns, MatchOptions options) => new(new PatternSet(patterns, options));

    private string[] Terms(int count) =>
        AhoCorasickCorpus.LiteralSet(_text, count, seed: 7).Select(System.Text.Encoding.UTF8.GetString).ToArray();

    private int Run(LineMatcher m, bool firstPerLine = false)
    {
        m.Match(_text, _output, firstPerLine);
        return _output.Count;
    }

    [Benchmark(Description = "-F literal")] public int Literal() => Run(_literal);
    [Benchmark(Description = "-F -i literal")] public int IgnoreCase() => Run(_ignoreCase);
    [Benchmark(Description = "8 alternated literals")] public int Alternation() => Run(_alternation);
    [Benchmark(Description = "-F 1,000 literals")] public int Terms1000() => Run(_terms1000);
    [Benchmark(Description = "-F 10,000 literals")] public int Terms10000() => Run(_terms10000);
    [Benchmark(Description = "-F 1,000 literals, matching lines")] public int Terms1000Lines() => Run(_terms1000, firstPerLine: true);
    [Benchmark(Description = "-F 10,000 literals, matching lines")] public int Terms10000Lines() => Run(_terms10000, firstPerLine: true);
    [Benchmark(Description = "regex, required literal, rare matches")] public int RegexWithLiteral() => Run(_regex);
}
