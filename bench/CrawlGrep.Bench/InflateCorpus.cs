using CrawlGrep.Core.Compression;

namespace CrawlGrep.Bench;

/// <summary>
/// The gzip members the inflate benchmark decodes, held in memory: the generated CC-shaped .warc.gz of
/// <see cref="BenchCorpus"/> (all its members, or those under or over 4 KiB compressed), or the genuine Common Crawl
/// .warc.gz excerpts of the real archive samples (CRAWLGREP_REAL_DATA), repeated to a few MB.
/// </summary>
public sealed class InflateCorpus
{
    public const string Generated = "generated", GeneratedSmall = "generated <4KiB", GeneratedLarge = "generated >=4KiB", RealCc = "real CC";

    /// <summary>Member boundaries split here (compressed bytes).</summary>
    public const int SmallMember = 4 << 10;

    /// <summary>The genuine Common Crawl WARC excerpts among the real samples (their SOURCES.md says which).</summary>
    private static readonly string[] RealCcFiles = ["resiliparse/warcfile.warc.gz", "whirlwind-python/whirlwind.warc.gz", "jwarc/cc.warc.gz"];

    private InflateCorpus(byte[] bytes, List<(int Offset, int Length)> members, long outputBytes)
    {
        Bytes = bytes;
        Members = members;
        OutputBytes = outputBytes;
    }

    /// <summary>The members back to back, as in a .warc.gz.</summary>
    public byte[] Bytes { get; }
    public List<(int Offset, int Length)> Members { get; }
    /// <summary>What they inflate to.</summary>
    public long OutputBytes { get; }

    private static readonly Dictionary<string, InflateCorpus> s_loaded = [];

    public static InflateCorpus Load(string name)
    {
        lock (s_loaded)
        {
            if (!s_loaded.TryGetValue(name, out var corpus)) s_loaded[name] = corpus = Make(name);
            return corpus;
        }
    }

    private static InflateCorpus Make(string name)
    {
        byte[] file;
        if (name == RealCc)
        {
            string root = Environment.GetEnvironmentVariable("CRAWLGREP_REAL_DATA") is { Length: > 0 } r ? r
                : throw new InvalidOperationException("set CRAWLGREP_REAL_DATA to the real archive samples for the real CC corpus");
            var one = RealCcFiles.SelectMany(f => File.ReadAllBytes(Path.Combine(root, f))).ToArray();
            file = Enumerable.Repeat(one, Math.Max(1, (8 << 20) / one.Length)).SelectMany(b => b).ToArray();
        }
        else file = File.ReadAllBytes(BenchCorpus.Ensure());

        // Member boundaries, as the decoder finds them.
        var all = new List<(int Offset, int Length, long Output)>();
        DecoderWarning fail = (offset, message) => throw new InvalidOperationException($"{offset}: {message}");
        using (var decoder = new GzipDecoder(new MemoryStream(file, writable: false), 0, fail))
        {
            var buffer = new byte[1 << 20];
            long output = 0;
            while (true)
            {
                var step = decoder.Read(buffer);
                if (step.EndOfInput) break;
                output += step.Bytes;
                if (!step.UnitEnded) continue;
                all.Add(((int)step.UnitStart, (int)(step.UnitEnd - step.UnitStart), output));
                output = 0;
            }
        }
        var kept = name switch
        {
            GeneratedSmall => all.Where(m => m.Length < SmallMember),
            GeneratedLarge => all.Where(m => m.Length >= SmallMember),
            _ => all,
        };
        var members = kept.ToList();
        if (members.Count == all.Count) return new InflateCorpus(file, members.Select(m => (m.Offset, m.Length)).ToList(), members.Sum(m => m.Output));
        // A part: its members back to back, so that the decoder reads just them too.
        var part = new byte[members.Sum(m => m.Length)];
        var offsets = new List<(int, int)>(members.Count);
        int at = 0;
        foreach (var m in members)
        {
            file.AsSpan(m.Offset, m.Length).CopyTo(part.AsSpan(at));
            offsets.Add((at, m.Length));
            at += m.Length;
        }
        return new InflateCorpus(part, offsets, members.Sum(m => m.Output));
    }
}
