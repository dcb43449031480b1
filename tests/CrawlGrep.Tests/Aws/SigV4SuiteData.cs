using Xunit.Abstractions;

namespace CrawlGrep.Tests.Aws;

/// <summary>
/// Finds AWS's Signature Version 4 test suite (see SOURCES.md beside it): the folder named by CRAWLGREP_SIGV4_DATA,
/// else a <c>shared/data/sigv4</c> folder found by walking up from the test binary, beside the real archive
/// samples. As with those, CI=true turns its absence into a failure; elsewhere the tests pass vacuously and say so.
/// </summary>
internal static class SigV4SuiteData
{
    public const string EnvVar = "CRAWLGREP_SIGV4_DATA";

    /// <summary>Placeholder theory row used when the suite cannot be found at discovery time.</summary>
    public const string Missing = "(sigv4 suite not found)";

    private static readonly Lazy<(string? Root, string Problem)> Located = new(Locate);

    public static string? Root => Located.Value.Root;

    private static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI")?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

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
            string candidate = Path.Combine(dir.FullName, "shared", "data", "sigv4");
            if (File.Exists(Path.Combine(candidate, "SOURCES.md"))) return (candidate, "");
        }
        return (null, $"the SigV4 test suite was not found: set {EnvVar} to the folder holding SOURCES.md, " +
                      "or clone the repository next to the 'shared' folder (shared/data/sigv4)");
    }

    /// <summary>
    /// The suite folder, or null when it is absent and the test should end without checking anything.
    /// Throws (fails the test) when CI=true and the suite is absent, or when CRAWLGREP_SIGV4_DATA points nowhere.
    /// </summary>
    public static string? Require(ITestOutputHelper? output = null)
    {
        var (root, problem) = Located.Value;
        if (root is not null) return root;
        bool envSet = !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EnvVar));
        if (IsCi || envSet)
            Assert.Fail($"SigV4 suite missing{(IsCi ? " (CI=true, so this is a failure)" : "")}: {problem}");
        output?.WriteLine($"SKIPPED: {problem}");
        return null;
    }

    /// <summary>Theory rows: every case folder (one holding &lt;name&gt;/&lt;name&gt;.req), as a path relative to the suite.</summary>
    public static IEnumerable<object[]> Cases()
    {
        if (Root is not { } root) return [[Missing]];
        return Directory.EnumerateFiles(root, "*.req", SearchOption.AllDirectories)
            .Where(f => Path.GetFileNameWithoutExtension(f) == Path.GetFileName(Path.GetDirectoryName(f)))
            .Select(f => Path.GetRelativePath(root, Path.GetDirectoryName(f)!).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .Select(c => new object[] { c })
            .ToList();
    }
}
