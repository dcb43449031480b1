using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using CrawlGrep.Core.Matching;
using CrawlGrep.Core.Matching.Prefilters;

namespace CrawlGrep.Bench;

/// <summary>
/// One thread finding every occurrence of literals in ~110 MB of generated web archive text held in memory:
/// .NET's span IndexOf as the baseline, the single-literal searcher exact and case-insensitive (and the older
/// anchor-byte case-insensitive search it replaces), Teddy with 8 literals.
/// </summary>
[Config(typeof(Config))]
public class LiteralSearchBenchmarks
{
    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(10).WithInvocationCount(1).WithUnrollFactor(1));
            AddColumn(new GigabytesPerSecondColumn());
        }
    }

    /// <summary>Eight literals of the kind one alternates in a grep: planted ones that occur, and ones that do not.</summary>
    public static readonly byte[][] EightLiterals =
    [
        "crawlgrep"u8.ToArray(), "Lorem ipsum"u8.ToArray(), "+1-555-01"u8.ToArray(), "example.org"u8.ToArray(),
        "password"u8.ToArray(), "bitcoin"u8.ToArray(), "javascript:"u8.ToArray(), "copyright"u8.ToArray(),
    ];

    private byte[] _text = [];
    private readonly List<LiteralHit> _hits = new(1 << 16);
    private readonly ILiteralSearcher _exact = new SingleLiteralSearcher("crawlgrep"u8.ToArray(), false);
    private readonly ILiteralSearcher _ignoreCase = new SingleLiteralSearcher("crawlgrep"u8.ToArray(), true);
    private readonly ILiteralSearcher _teddy = new TeddySearcher(EightLiterals, false);
    private readonly ILiteralSearcher _teddyIgnoreCase = new TeddySearcher(EightLiterals, true);

    [GlobalSetup]
    public void Setup() => _text = HtmlCorpus.Load();

    [Benchmark(Baseline = true, Description = "span.IndexOf \"crawlgrep\"")]
    public int SpanIndexOf()
    {
        ReadOnlySpan<byte> text = _text, literal = "crawlgrep"u8;
        int count = 0, pos = 0;
        while (true)
        {
            int k = text[pos..].IndexOf(literal);
            if (k < 0) return count;
            count++;
            pos += k + 1;
        }
    }

    [Benchmark(Description = "single \"crawlgrep\"")]
    public int Single() => CountAll(_exact);

    [Benchmark(Description = "single -i \"crawlgrep\"")]
    public int SingleIgnoreCase() => CountAll(_ignoreCase);

    [Benchmark(Description = "anchor byte -i \"crawlgrep\" (ByteSearch)")]
    public int AnchorByteIgnoreCase()
    {
        ReadOnlySpan<byte> text = _text, literal = "crawlgrep"u8;
        int count = 0, pos = 0;
        while (true)
        {
            int k = ByteSearch.IndexOfIgnoreAsciiCase(text[pos..], literal);
            if (k < 0) return count;
            count++;
            pos += k + 1;
        }
    }

    [Benchmark(Description = "teddy 8 literals")]
    public int Teddy() => CountAll(_teddy);

    [Benchmark(Description = "teddy -i 8 literals")]
    public int TeddyIgnoreCase() => CountAll(_teddyIgnoreCase);

    private int CountAll(ILiteralSearcher searcher)
    {
        _hits.Clear();
        searcher.FindAll(_text, _hits);
        return _hits.Count;
    }
}
