using CrawlGrep.Tests.Conformance;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Aws;

/// <summary>The cases of AWS's Signature Version 4 test suite (<see cref="SharedDataFolder.SigV4"/>), as theory rows.</summary>
internal static class SigV4SuiteData
{
    /// <summary>Placeholder theory row used when the suite cannot be found at discovery time.</summary>
    public const string Missing = "(sigv4 suite not found)";

    public static string? Root => SharedDataFolder.SigV4.Root;

    /// <summary>The suite's folder, or null when it is absent and the test should end; fails the test when CI=true.</summary>
    public static string? Require(ITestOutputHelper? output = null) => SharedDataFolder.SigV4.Require(output);

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
