using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using CrawlGrep.Core.Compression;

namespace CrawlGrep.Bench;

/// <summary>
/// The inflate engines on Common Crawl's gzip members (a member per record): each member decoded whole from memory by
/// libdeflate, ISA-L (isal_inflate_stateless) and zlib-ng (streamed, as without the others), and crawlgrep's gzip
/// decoder on the same bytes with each engine. MB/s of output. Results: bench/results/inflate-engines.md.
/// </summary>
[Config(typeof(Config))]
public class InflateEngineBenchmarks
{
    private sealed class Config : ManualConfig
    {
        public Config()
        {
            // In process: no second build of the benchmark project on a machine shared with other builds.
            AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(2).WithIterationCount(9));
            AddColumn(new RateColumn("MB/s (output)", "Inflated megabytes (10^6) per second, from the mean time",
                c => InflateCorpus.Load((string)c.Parameters["Corpus"]).OutputBytes, 1e6));
        }
    }

    [Params(InflateCorpus.Generated, InflateCorpus.GeneratedSmall, InflateCorpus.GeneratedLarge, InflateCorpus.RealCc)]
    public string Corpus { get; set; } = InflateCorpus.Generated;

    [Params(InflateEngine.LibDeflate, InflateEngine.Isal, InflateEngine.Zlib)]
    public InflateEngine Engine { get; set; }

    private InflateCorpus _corpus = null!;
    private MemberDecoder _members = null!;
    private readonly byte[] _buffer = new byte[1 << 20];

    [GlobalSetup]
    public void Setup()
    {
        _members = new MemberDecoder(Engine);
        _corpus = InflateCorpus.Load(Corpus);
        Console.WriteLine($"// {Corpus}: {_corpus.Members.Count} members, {_corpus.Members.Sum(m => (long)m.Length)} bytes -> {_corpus.OutputBytes} bytes");
    }

    [GlobalCleanup]
    public void Cleanup() => _members.Dispose();

    /// <summary>Each member in one call (zlib-ng: streamed into the same buffer, reset between members).</summary>
    [Benchmark(Description = "members, engine alone")]
    public long Members() => _members.Decode(_corpus.Bytes, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_corpus.Members));

    /// <summary>crawlgrep's gzip decoder with this engine, reading the corpus from memory into a 1 MiB buffer, as a scan does.</summary>
    [Benchmark(Description = "gzip decoder")]
    public long Decoder()
    {
        using var decoder = new GzipDecoder(new MemoryStream(_corpus.Bytes, writable: false), 0,
            (offset, message) => throw new InvalidOperationException($"{offset}: {message}"), wholeMembers: Engine != InflateEngine.Zlib, engine: Engine);
        var buffer = _buffer.AsSpan();
        long total = 0;
        while (true)
        {
            var step = decoder.Read(buffer);
            if (step.EndOfInput) return total;
            total += step.Bytes;
        }
    }
}
