using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using CrawlGrep.Core.Matching;
using CrawlGrep.Core.Matching.Prefilters;

namespace CrawlGrep.Bench;

/// <summary>
/// One thread finding every occurrence of literals in ~110 MB of generated web archive text held in memory:
/// .NET's span IndexOf as the baseline, the single-literal searcher exact and case-insensitive, Teddy with 8 literals, and a plain read of
/// the text for the memory bandwidth every search is bounded by. Each operation is
/// one pass; an invocation makes <see cref="Passes"/> of them, so that an iteration lasts long enough to time.
/// </summary>
[Config(typeof(Config))]
public class LiteralSearchBenchmarks
{
    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(15).WithInvocationCount(1).WithUnrollFactor(1));
            AddColumn(new RateColumn("GB/s", "Gigabytes (10^9) of text searched per second, from the mean time", () => HtmlCorpus.Length, 1e9));
        }
    }

    /// <summary>Eight literals of the kind one alternates in a grep: planted ones that occur, and ones that do not.</summary>
    public static readonly byte[][] EightLiterals =
    [
        "crawlgrep"u8.ToArray(), "Lorem ipsum"u8.ToArray(), "+1-555-01"u8.ToArray(), "example.org"u8.ToArray(),
        "password"u8.ToArray(), "bitcoin"u8.ToArray(), "javascript:"u8.ToArray(), "copyright"u8.ToArray(),
    ];

    public const int Passes = 5;

    private byte[] _text = [];
    private readonly List<LiteralHit> _hits = new(1 << 16);
    private readonly ILiteralSearcher _exact = new SingleLiteralSearcher("crawlgrep"u8.ToArray(), false);
    private readonly ILiteralSearcher _ignoreCase = new SingleLiteralSearcher("crawlgrep"u8.ToArray(), true);
    private readonly ILiteralSearcher _teddy = new TeddySearcher(EightLiterals, false);
    private readonly ILiteralSearcher _teddyIgnoreCase = new TeddySearcher(EightLiterals, true);

    [GlobalSetup]
    public void Setup() => _text = HtmlCorpus.Bytes;

    [Benchmark(Baseline = true, Description = "span.IndexOf \"crawlgrep\"", OperationsPerInvoke = Passes)]
    public int SpanIndexOf() => Repeat(SpanIndexOfOnce);

    [Benchmark(Description = "single \"crawlgrep\"", OperationsPerInvoke = Passes)]
    public int Single() => Repeat(() => CountAll(_exact));

    [Benchmark(Description = "single -i \"crawlgrep\"", OperationsPerInvoke = Passes)]
    public int SingleIgnoreCase() => Repeat(() => CountAll(_ignoreCase));

    [Benchmark(Description = "teddy 8 literals", OperationsPerInvoke = Passes)]
    public int Teddy() => Repeat(() => CountAll(_teddy));

    [Benchmark(Description = "teddy -i 8 literals", OperationsPerInvoke = Passes)]
    public int TeddyIgnoreCase() => Repeat(() => CountAll(_teddyIgnoreCase));

    [Benchmark(Description = "read only (OR of every 32 bytes)", OperationsPerInvoke = Passes)]
    public int ReadOnly() => Repeat(ReadOnlyOnce);

    private static int Repeat(Func<int> pass)
    {
        int count = 0;
        for (int i = 0; i < Passes; i++) count = pass();
        return count;
    }

    private int SpanIndexOfOnce()
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

    // The memory ceiling: every byte loaded once into vectors, nothing else.
    private int ReadOnlyOnce()
    {
        var acc = Vector256<byte>.Zero;
        ref byte text = ref MemoryMarshal.GetArrayDataReference(_text);
        int i = 0;
        for (; i <= _text.Length - 4 * 32; i += 4 * 32)
            acc |= Vector256.LoadUnsafe(ref text, (nuint)i) | Vector256.LoadUnsafe(ref text, (nuint)i + 32)
                 | Vector256.LoadUnsafe(ref text, (nuint)i + 64) | Vector256.LoadUnsafe(ref text, (nuint)i + 96);
        int rest = 0;
        for (; i < _text.Length; i++) rest |= _text[i];
        return Vector256.GetElement(acc, 0) | rest;
    }

    private int CountAll(ILiteralSearcher searcher)
    {
        _hits.Clear();
        searcher.FindAll(_text, _hits);
        return _hits.Count;
    }
}
