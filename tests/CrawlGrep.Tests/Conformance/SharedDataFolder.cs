using Xunit.Abstractions;

namespace CrawlGrep.Tests.Conformance;

/// <summary>
/// A folder of the shared test data (one holding a SOURCES.md): the folder its variable names, else
/// <c>shared/data/NAME</c> found by walking up from the test binary (the repository is cloned next to <c>shared</c>).
/// When CI=true its absence fails the run; elsewhere a test without it passes vacuously and says so in its output.
/// </summary>
internal sealed class SharedDataFolder(string name, string envVar, string what)
{
    private readonly Lazy<(string? Root, string Problem)> _located = new(() => Locate(name, envVar, what));

    public string EnvVar => envVar;

    public string? Root => _located.Value.Root;

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI")?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    private static (string? Root, string Problem) Locate(string name, string envVar, string what)
    {
        string? env = Environment.GetEnvironmentVariable(envVar);
        if (!string.IsNullOrWhiteSpace(env))
        {
            string full = Path.GetFullPath(env);
            return File.Exists(Path.Combine(full, "SOURCES.md"))
                ? (full, "")
                : (null, $"{envVar} is set to '{env}', but that folder has no SOURCES.md");
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "data", name);
            if (File.Exists(Path.Combine(candidate, "SOURCES.md"))) return (candidate, "");
        }
        return (null, $"{what} were not found: set {envVar} to the folder holding SOURCES.md, " +
                      $"or clone the repository next to the 'shared' folder (shared/data/{name})");
    }

    /// <summary>
    /// The folder, or null when it is absent and the test should end without checking anything. Fails the test when
    /// CI=true and the folder is absent, or when its variable points nowhere.
    /// </summary>
    public string? Require(ITestOutputHelper? output = null)
    {
        var (root, problem) = _located.Value;
        if (root is not null) return root;
        bool envSet = !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(envVar));
        if (IsCi || envSet) Assert.Fail($"{problem}{(IsCi ? " (CI=true, so this is a failure)" : "")}");
        output?.WriteLine($"SKIPPED: {problem}");
        return null;
    }

    /// <summary>AWS's Signature Version 4 test suite.</summary>
    public static readonly SharedDataFolder SigV4 = new("sigv4", "CRAWLGREP_SIGV4_DATA", "AWS's Signature Version 4 test suite files");
}
