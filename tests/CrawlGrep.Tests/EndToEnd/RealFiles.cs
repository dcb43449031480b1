namespace CrawlGrep.Tests.EndToEnd;

/// <summary>
/// The real archives beside the repository (../shared/data/real) or at CRAWLGREP_REAL_DATA.
/// Missing data fails the run when CI=true.
/// </summary>
public static class RealFiles
{
    public static string Root { get; } = Find();

    public static string Get(string relative)
    {
        var p = System.IO.Path.Combine(Root, relative);
        Assert.True(File.Exists(p), $"real archive missing: {relative}");
        return p;
    }

    private static string Find()
    {
        var env = Environment.GetEnvironmentVariable("CRAWLGREP_REAL_DATA");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return env;
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var candidate = System.IO.Path.Combine(d.FullName, "..", "shared", "data", "real");
            if (Directory.Exists(candidate)) return System.IO.Path.GetFullPath(candidate);
            candidate = System.IO.Path.Combine(d.FullName, "shared", "data", "real");
            if (Directory.Exists(candidate)) return System.IO.Path.GetFullPath(candidate);
        }
        throw new InvalidOperationException("The real archives (../shared/data/real) were not found; set CRAWLGREP_REAL_DATA.");
    }
}
