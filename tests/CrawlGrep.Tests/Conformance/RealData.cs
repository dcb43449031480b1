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

    private static readonly Lazy<(string? Root, string Problem)> Located = new(Locate);

    public static string? Root => Located.Value.Root;

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI")?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    private static (string? Root, string Problem) Locate()
    {
        string? env = Environment.GetEnvironmentVariable(EnvVar);
        if (!string.IsNullOrWhiteSpace(env))
        {
            string full = Path.GetFullPath(env);
            return File.Exists(Path.Combine(full, "SOURCES.md"))
                ? (full, "")
                : (null, $"{EnvVar} is set to '{env}', but that folder has no SOURCES.md");
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "data", "real");
            if (File.Exists(Path.Combine(candidate, "SOURCES.md"))) return (candidate, "");
        }
        return (null, $"the real archive samples were not found: set {EnvVar} to the folder holding SOURCES.md, " +
                      "or clone the repository next to the 'shared' folder (shared/data/real)");
    }

    /// <summary>
    /// The data folder, or null when it is absent and the test should end without checking anything.
    /// Throws (fails the test) when CI=true and the data is absent, or when CRAWLGREP_REAL_DATA points nowhere.
    /// </summary>
    public static string? Require(ITestOutputHelper? output = null)
    {
        var (root, problem) = Located.Value;
        if (root is not null) return root;
        bool envSet = !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EnvVar));
        if (IsCi || envSet)
            Assert.Fail($"Conformance data missing{(IsCi ? " (CI=true, so this is a failure)" : "")}: {problem}");
        output?.WriteLine($"SKIPPED: {problem}");
        return null;
    }

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
