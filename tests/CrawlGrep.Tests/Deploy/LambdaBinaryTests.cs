using System.IO.Compression;
using System.Text.RegularExpressions;
using CrawlGrep.Cli.Commands;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Deploy;

/// <summary>
/// Checks the Native AOT build scripts/publish-lambda.sh makes for provided.al2023: what it links against, that it runs
/// as the worker, and the zip <c>crawlgrep lambda package</c> makes of it.
/// </summary>
public sealed class LambdaBinaryTests(ITestOutputHelper output)
{
    /// <summary>Amazon Linux 2023's glibc: a symbol versioned newer than this does not resolve there.</summary>
    private static readonly Version NewestGlibc = new(2, 34);

    private static readonly Regex GlibcVersion = new(@"\bGLIBC_(\d+)\.(\d+)(?:\.(\d+))?\b", RegexOptions.CultureInvariant);

    private static LambdaArchitecture Arch => LambdaArchitecture.Parse(PublishedLambdaBinary.Architecture)!;

    [Fact]
    public void NeedsNoGlibcNewerThanAmazonLinux2023s()
    {
        string? binary = PublishedLambdaBinary.Require(output);
        if (binary is null) return;
        var files = new List<string> { binary };
        string? libDeflate = LambdaPackage.FindLibDeflate(Arch);
        if (libDeflate is not null) files.Add(libDeflate);
        else if (PublishedLambdaBinary.IsCi) Assert.Fail("libdeflate0 is not installed (CI=true): scripts/test.sh installs it");
        else output.WriteLine("libdeflate.so.0 is not installed here: only the executable is checked");

        foreach (string file in files)
        {
            var dump = PublishedLambdaBinary.Run("objdump", "-T", file);
            Assert.True(dump.ExitCode == 0, $"objdump -T {file}: {dump.Stderr}");
            var versions = GlibcVersion.Matches(dump.Stdout).Select(m => new Version(int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value))).Distinct().ToList();
            Assert.NotEmpty(versions); // it does link against glibc: an empty list means the parsing broke
            var tooNew = dump.Stdout.Split('\n').Where(l => GlibcVersion.Match(l) is { Success: true } m
                && new Version(int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value)) > NewestGlibc).ToList();
            Assert.True(tooNew.Count == 0, $"{Path.GetFileName(file)} needs glibc symbols newer than {NewestGlibc}:\n{string.Join('\n', tooNew)}");
            output.WriteLine($"{Path.GetFileName(file)}: newest glibc symbol version {versions.Max()}");
        }
    }

    [Fact]
    public void HasNoIcuDependency()
    {
        string? binary = PublishedLambdaBinary.Require(output);
        if (binary is null) return;
        var dynamicSection = PublishedLambdaBinary.Run("readelf", "-d", "-W", binary);
        Assert.Equal(0, dynamicSection.ExitCode);
        var needed = Regex.Matches(dynamicSection.Stdout, @"\(NEEDED\)\s+Shared library: \[([^\]]+)\]").Select(m => m.Groups[1].Value).ToList();
        Assert.Contains(needed, n => n.StartsWith("libc.so", StringComparison.Ordinal));
        Assert.DoesNotContain(needed, n => n.Contains("icu", StringComparison.OrdinalIgnoreCase));

        // Run a case-insensitive scan (culture-sensitive code) with the invariant switch unset, watching what the loader
        // opens: nothing of ICU, though this machine may have it.
        var scan = PublishedLambdaBinary.Run(binary, ["-i", "-c", "--no-db", "--no-progress", "CRAWLGREP", "samples/"],
            new Dictionary<string, string?> { ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = null, ["LD_DEBUG"] = "libs" });
        Assert.True(scan.ExitCode == 0, $"exit {scan.ExitCode}: {WithoutLoaderLines(scan.Stderr)}");
        Assert.Matches(@":\d*[1-9]\d*\s*$", scan.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0]); // it did find hits
        Assert.DoesNotContain("libicu", scan.Stderr);
    }

    [Fact]
    public void WorkerOutsideLambdaExitsTwoWithOneLine()
    {
        string? binary = PublishedLambdaBinary.Require(output);
        if (binary is null) return;
        // As Lambda runs it: named bootstrap, alone in its folder (no libduckdb.so beside it).
        string dir = Directory.CreateTempSubdirectory("crawlgrep-bootstrap-").FullName;
        try
        {
            string bootstrap = Path.Combine(dir, "bootstrap");
            File.Copy(binary, bootstrap); // keeps its mode (executable)
            var run = PublishedLambdaBinary.Run(bootstrap, ["lambda", "worker"],
                new Dictionary<string, string?> { ["AWS_LAMBDA_RUNTIME_API"] = null, ["LD_DEBUG"] = "libs" }, dir);
            string[] lines = WithoutLoaderLines(run.Stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(2, run.ExitCode);
            Assert.Single(lines);
            Assert.Contains("AWS_LAMBDA_RUNTIME_API", lines[0]);
            Assert.Equal("", run.Stdout);
            Assert.DoesNotContain("libduckdb", run.Stderr); // the worker's start never reaches for DuckDB
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void PackageHoldsTheBinaryAsExecutableBootstrapAndNoDuckDb()
    {
        string? binary = PublishedLambdaBinary.Require(output);
        if (binary is null) return;
        string dir = Directory.CreateTempSubdirectory("crawlgrep-package-").FullName;
        try
        {
            string given = Path.Combine(dir, "given.zip"), self = Path.Combine(dir, "self.zip");
            var withBootstrap = PublishedLambdaBinary.Run(binary, "lambda", "package", "--arch", Arch.Name, "--bootstrap", binary, "-o", given);
            Assert.True(withBootstrap.ExitCode == 0, withBootstrap.Stderr);
            Assert.Contains(given, withBootstrap.Stdout);
            Assert.Contains("bytes", withBootstrap.Stdout);
            // Without --bootstrap the Native AOT build ships itself.
            var itself = PublishedLambdaBinary.Run(binary, "lambda", "package", "-o", self);
            Assert.True(itself.ExitCode == 0, itself.Stderr);

            byte[] expected = File.ReadAllBytes(binary);
            foreach (string zipPath in new[] { given, self })
            {
                using var zip = ZipFile.OpenRead(zipPath);
                var entry = zip.GetEntry(LambdaPackage.BootstrapEntry);
                Assert.NotNull(entry);
                Assert.Equal(0x81ED, (entry.ExternalAttributes >> 16) & 0xFFFF); // a regular file, rwxr-xr-x
                using (var content = new MemoryStream())
                {
                    using (var s = entry.Open()) s.CopyTo(content);
                    Assert.True(expected.AsSpan().SequenceEqual(content.ToArray()), "the bootstrap entry differs from the binary");
                }
                Assert.DoesNotContain(zip.Entries, e => e.FullName.Contains("duckdb", StringComparison.OrdinalIgnoreCase));
                Assert.All(zip.Entries, e => Assert.DoesNotContain('/', e.FullName)); // everything at the root, beside bootstrap
                Assert.Equal(LambdaPackage.FindLibDeflate(Arch) is not null, zip.GetEntry(LambdaPackage.LibDeflateName) is not null);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>stderr without the dynamic loader's LD_DEBUG lines ("   PID:\t...").</summary>
    private static string WithoutLoaderLines(string stderr) =>
        string.Join('\n', stderr.Split('\n').Where(l => !Regex.IsMatch(l, @"^\s*\d+:")));
}
