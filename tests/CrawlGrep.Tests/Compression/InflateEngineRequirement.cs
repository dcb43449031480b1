using CrawlGrep.Core.Compression;
using CrawlGrep.Tests.Conformance;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Compression;

/// <summary>
/// Whether a test of one inflate engine can run here. scripts/test.sh installs every engine's Debian package; where one
/// is still missing its tests fail with a clear message when CI=true, and elsewhere pass saying SKIPPED.
/// </summary>
internal static class InflateEngineRequirement
{
    /// <summary>Theory rows: every engine.</summary>
    public static IEnumerable<object[]> Engines => InflateEngines.All.Select(e => new object[] { e });

    /// <summary>Theory rows: the engines that decode whole members (zlib-ng, which streams, is their reference).</summary>
    public static IEnumerable<object[]> WholeMemberEngines => InflateEngines.All.Where(e => e != InflateEngine.Zlib).Select(e => new object[] { e });

    public static string Package(InflateEngine engine) => engine switch
    {
        InflateEngine.LibDeflate => "libdeflate0",
        InflateEngine.Isal => "libisal2",
        _ => "the .NET runtime",
    };

    /// <summary>True when <paramref name="engine"/> loads here; else fails the test (CI=true) or says SKIPPED and returns false.</summary>
    public static bool Require(InflateEngine engine, ITestOutputHelper output)
    {
        if (InflateEngines.IsAvailable(engine)) return true;
        string problem = $"{InflateEngines.Name(engine)} is not available: {Package(engine)} is not installed (scripts/test.sh installs it)";
        if (SharedDataFolder.IsCi) Assert.Fail($"{problem} (CI=true, so this is a failure)");
        output.WriteLine($"SKIPPED: {problem}");
        return false;
    }
}
