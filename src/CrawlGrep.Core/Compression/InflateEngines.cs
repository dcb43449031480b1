namespace CrawlGrep.Core.Compression;

/// <summary>
/// Which <see cref="InflateEngine"/> a gzip decoder uses: libdeflate where it loads, else zlib-ng. ISA-L is used only when
/// asked for by <c>CRAWLGREP_INFLATE=isal</c>: on Common Crawl's records (a gzip member each, mostly a few KB) it
/// inflates about a fifth slower than libdeflate (bench/results/inflate-engines.md).
/// </summary>
public static class InflateEngines
{
    /// <summary>CRAWLGREP_INFLATE=zlib|libdeflate|isal forces an engine (to compare them, or to work around a broken library);
    /// one that does not load here gives way to the default.</summary>
    public const string Variable = "CRAWLGREP_INFLATE";

    /// <summary>The engine used when a decoder is not given one: the one <see cref="Variable"/> names if it loads, else the fastest that does.</summary>
    public static InflateEngine Default { get; } = Choose(Environment.GetEnvironmentVariable(Variable));

    /// <summary>Every engine, in order of preference.</summary>
    public static IReadOnlyList<InflateEngine> All { get; } = [InflateEngine.LibDeflate, InflateEngine.Isal, InflateEngine.Zlib];

    public static bool IsAvailable(InflateEngine engine) => engine switch
    {
        InflateEngine.LibDeflate => LibDeflate.IsAvailable,
        InflateEngine.Isal => IsaL.IsAvailable,
        _ => true,
    };

    /// <summary>The engine a forced name (or none) gives here.</summary>
    internal static InflateEngine Choose(string? forced)
    {
        if (TryParse(forced, out var engine) && IsAvailable(engine)) return engine;
        return LibDeflate.IsAvailable ? InflateEngine.LibDeflate : InflateEngine.Zlib;
    }

    public static bool TryParse(string? name, out InflateEngine engine)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "zlib" or "zlib-ng": engine = InflateEngine.Zlib; return true;
            case "libdeflate": engine = InflateEngine.LibDeflate; return true;
            case "isal" or "isa-l" or "igzip": engine = InflateEngine.Isal; return true;
            default: engine = default; return false;
        }
    }

    /// <summary>"zlib-ng", "libdeflate", "isa-l".</summary>
    public static string Name(InflateEngine engine) => engine switch
    {
        InflateEngine.LibDeflate => "libdeflate",
        InflateEngine.Isal => "isa-l",
        _ => "zlib-ng",
    };
}
