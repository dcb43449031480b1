using Xunit.Abstractions;

namespace CrawlGrep.Tests.Conformance;

/// <summary>
/// Finds the real archive samples (see SOURCES.md beside them): the folder named by
/// CRAWLGREP_REAL_DATA, else a <c>shared/data/real</c> folder found by walking up from the test
/// binary (the repository is cloned next to <c>shared</c>). When CI=true their absence fails the
/// run; elsewhere a test without them passes vacuously and says so in its output.
/// </summary>
internal static class RealData
{
    public const string EnvVar = "CRAWLGREP_REAL_DATA";

    /// <summary>Placeholder theory row used when the data cannot be found at discovery time.</summary>
    public const string Missing = "(real data not found)";

    private static readonly SharedDataFolder Folder = new("real", EnvVar, "the real archive samples");

    public static string? Root => Folder.Root;

    public static bool IsCi => SharedDataFolder.IsCi;

    /// <summary>
    /// The data folder, or null when it is absent and the test should end without checking anything.
    /// Fails the test when CI=true and the data is absent, or when CRAWLGREP_REAL_DATA points nowhere.
    /// </summary>
    public static string? Require(ITestOutputHelper? output = null) => Folder.Require(output);

    /// <summary>Absolute path of a file given relative to the data folder (as SOURCES.md lists it).</summary>
    public static string PathOf(string relative) =>
        Path.Combine(Root ?? throw new InvalidOperationException("real data not located"), relative.Replace('/', Path.DirectorySeparatorChar));

    public static byte[] Bytes(string relative) => File.ReadAllBytes(PathOf(relative));

    /// <summary>Theory rows: each item, or the single placeholder row when the data is absent.</summary>
    public static IEnumerable<object[]> Rows(Func<IEnumerable<string>> items)
    {
        if (Root is null) return [[Missing]];
        return items().Select(i => new object[] { i }).ToList();
    }
}
