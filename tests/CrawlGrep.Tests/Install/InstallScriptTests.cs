using System.Text.RegularExpressions;
using CrawlGrep.Tests.Deploy;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Install;

/// <summary>
/// scripts/install.sh, README's install command, run into a fresh PREFIX the way a user runs it, twice (it must be
/// idempotent); the folder is removed afterwards. Its build is the Native AOT one; where that cannot be built here (no
/// C toolchain and no way to install one) the script installs a ReadyToRun build instead, and the native checks pass
/// saying SKIPPED, except when CI=true, where that fails them.
/// </summary>
public sealed class InstalledCrawlGrep : IDisposable
{
    public string Prefix { get; }
    internal PublishedLambdaBinary.Outcome First { get; }
    internal PublishedLambdaBinary.Outcome Second { get; }
    public string Executable => Path.Combine(Prefix, "bin", "crawlgrep");

    public InstalledCrawlGrep()
    {
        Prefix = Directory.CreateTempSubdirectory("crawlgrep-install-").FullName;
        // PREFIX/bin is not on this PATH, so the script has to say what to add.
        var environment = new Dictionary<string, string?> { ["PREFIX"] = Prefix };
        string script = Path.Combine(PublishedLambdaBinary.RepositoryRoot, "scripts", "install.sh");
        First = PublishedLambdaBinary.Run(script, [], environment);
        Second = First.ExitCode == 0 ? PublishedLambdaBinary.Run(script, [], environment) : First;
    }

    public void Dispose()
    {
        try { Directory.Delete(Prefix, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

public sealed class InstallScriptTests(InstalledCrawlGrep installed, ITestOutputHelper output) : IClassFixture<InstalledCrawlGrep>
{
    private static readonly Regex InstalledLine = new(@"^installed crawlgrep (\S+) \(([^)]+)\) in (.+)$", RegexOptions.Multiline);

    private Match Installed(PublishedLambdaBinary.Outcome run)
    {
        Assert.True(run.ExitCode == 0, $"scripts/install.sh: exit {run.ExitCode}\n{run.Stdout}\n{run.Stderr}");
        var line = InstalledLine.Match(run.Stdout);
        Assert.True(line.Success, $"no 'installed crawlgrep ...' line in:\n{run.Stdout}\n{run.Stderr}");
        Assert.Equal(installed.Executable, line.Groups[3].Value.TrimEnd());
        return line;
    }

    [Fact]
    public void InstallsANativeExecutableThatNeedsNoDll()
    {
        var line = Installed(installed.First);
        output.WriteLine(line.Value);
        if (line.Groups[2].Value != "native AOT")
        {
            string why = $"the script installed a {line.Groups[2].Value} build, not Native AOT: {installed.First.Stderr.Trim()}";
            if (PublishedLambdaBinary.IsCi) Assert.Fail($"the Native AOT build is needed (CI=true, so this is a failure): {why}");
            output.WriteLine($"SKIPPED: {why}");
            return;
        }
        string real = new FileInfo(installed.Executable).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? installed.Executable;
        using (var file = File.OpenRead(real))
        {
            var magic = new byte[4];
            Assert.Equal(4, file.Read(magic));
            Assert.Equal(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F' }, magic);
        }
        string folder = Path.GetDirectoryName(real)!;
        Assert.Empty(Directory.EnumerateFiles(installed.Prefix, "*.dll", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(installed.Prefix, "*.runtimeconfig.json", SearchOption.AllDirectories));
        Assert.True(File.Exists(Path.Combine(folder, "libduckdb.so")), "libduckdb.so is not installed beside the executable");
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(folder, "queries"), "*.sql"));
        // Native code all the way: the executable loads no .NET runtime library.
        var version = PublishedLambdaBinary.Run(installed.Executable, ["--version"],
            new Dictionary<string, string?> { ["LD_DEBUG"] = "libs" }, installed.Prefix);
        Assert.Equal(0, version.ExitCode);
        Assert.DoesNotContain("libcoreclr", version.Stderr);
        Assert.DoesNotContain("libhostfxr", version.Stderr);
    }

    [Fact]
    public void SaysWhereAndWhatToAddToPath()
    {
        Installed(installed.First);
        string bin = Path.Combine(installed.Prefix, "bin");
        Assert.Contains($"{bin} is not on your PATH", installed.First.Stdout);
        Assert.Contains($"export PATH=\"{bin}:$PATH\"", installed.First.Stdout);
    }

    [Fact]
    public void RunningItAgainWorks()
    {
        var first = Installed(installed.First);
        var second = Installed(installed.Second);
        Assert.Equal(first.Value, second.Value);
        // Nothing left behind by the swap: PREFIX/lib holds crawlgrep/ alone.
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(Path.Combine(installed.Prefix, "lib")), e => Path.GetFileName(e) != "crawlgrep");
    }

    [Fact]
    public void PrintsItsVersion()
    {
        var line = Installed(installed.First);
        var run = PublishedLambdaBinary.Run(installed.Executable, ["--version"], new Dictionary<string, string?>(), installed.Prefix);
        Assert.True(run.ExitCode == 0, $"--version: exit {run.ExitCode}: {run.Stderr}");
        Assert.Matches(@"^\d+\.\d+\.\d+", run.Stdout.Trim());
        Assert.Equal(line.Groups[1].Value, run.Stdout.Trim());
    }

    [Fact]
    public void ScansTheSamplesAndQueriesTheResultsFromAnotherFolder()
    {
        Installed(installed.First);
        string samples = Path.Combine(PublishedLambdaBinary.RepositoryRoot, "samples");
        string work = Directory.CreateTempSubdirectory("crawlgrep-install-run-").FullName;
        try
        {
            var env = new Dictionary<string, string?> { ["NO_COLOR"] = "1" };
            var scan = PublishedLambdaBinary.Run(installed.Executable, ["-c", "--no-progress", "--db", "hits.duckdb", "crawlgrep", samples], env, work);
            Assert.True(scan.ExitCode == 0, $"scan: exit {scan.ExitCode}: {scan.Stderr}");
            var warc = scan.Stdout.Split('\n').Single(l => l.Contains(".warc.gz:", StringComparison.Ordinal) && !l.Contains(".wat.", StringComparison.Ordinal) && !l.Contains(".wet.", StringComparison.Ordinal));
            Assert.Matches(@":[1-9]\d*$", warc);

            // The named queries and DuckDB come from beside the executable: this folder has neither.
            var query = PublishedLambdaBinary.Run(installed.Executable, ["query", "scans", "--db", "hits.duckdb", "--csv"], env, work);
            Assert.True(query.ExitCode == 0, $"query scans: exit {query.ExitCode}: {query.Stderr}");
            Assert.Contains("crawlgrep", query.Stdout);
            Assert.Contains("complete", query.Stdout);

            // Values the native build reads through DuckDB.NET's reflection (lists of dates, times, UUIDs, numbers with
            // NULL) and BLOBs, which live in the result's chunk only while it is read.
            var values = PublishedLambdaBinary.Run(installed.Executable, ["sql", "--db", "hits.duckdb", "--json",
                "SELECT [DATE '2024-05-20', NULL] AS d, [TIME '10:30:01'] AS t, ['5bd6d4f3-0b8a-4f4b-9a3e-0f2d5e8e1a11'::UUID] AS u, " +
                "[1::HUGEINT, NULL] AS h, [1, NULL] AS i, 'xy'::BLOB AS b"], env, work);
            Assert.True(values.ExitCode == 0, $"sql: exit {values.ExitCode}: {values.Stderr}");
            Assert.Equal("""{"d":["2024-05-20",null],"t":["10:30:01"],"u":["5bd6d4f3-0b8a-4f4b-9a3e-0f2d5e8e1a11"],"h":[1,null],"i":[1,null],"b":"eHk="}""",
                values.Stdout.Trim());
        }
        finally { Directory.Delete(work, recursive: true); }
    }
}

/// <summary>The script's one-line errors, which need no build.</summary>
public sealed class InstallScriptErrorTests
{
    [Fact]
    public void WithoutDotnetSaysSoInOneLine()
    {
        string empty = Directory.CreateTempSubdirectory("crawlgrep-install-nodotnet-").FullName;
        try
        {
            string script = Path.Combine(PublishedLambdaBinary.RepositoryRoot, "scripts", "install.sh");
            var run = PublishedLambdaBinary.Run("/bin/bash", [script], new Dictionary<string, string?>
            {
                ["PATH"] = empty, ["HOME"] = empty, ["DOTNET_ROOT"] = null, ["PREFIX"] = Path.Combine(empty, "prefix"),
            });
            Assert.Equal(2, run.ExitCode);
            string[] lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Single(lines);
            Assert.StartsWith("install: dotnet not found", lines[0]);
            Assert.False(Directory.Exists(Path.Combine(empty, "prefix")), "nothing is created before the check");
        }
        finally { Directory.Delete(empty, recursive: true); }
    }
}
