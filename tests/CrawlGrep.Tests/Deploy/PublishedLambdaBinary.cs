using System.Diagnostics;
using System.Runtime.InteropServices;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Deploy;

/// <summary>
/// The Native AOT crawlgrep scripts/publish-lambda.sh builds for this machine's architecture, published once per test
/// run (the script itself skips the build when the sources have not changed since its last publish). Where it cannot be
/// built (no C toolchain and no way to install one) or readelf is missing, a test passes vacuously and says so, except
/// when CI=true, where that fails it.
/// </summary>
internal static class PublishedLambdaBinary
{
    private static readonly Lazy<(string? Path, string Problem)> Published = new(Publish, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Architecture => RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "arm64" : "x86_64";

    /// <summary>The repository's root: the folder above the test binary that holds CrawlGrep.sln.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "CrawlGrep.sln"))) return dir.FullName;
            throw new InvalidOperationException("CrawlGrep.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>The published executable, or null (test ends) when it cannot be built here; fails the test when CI=true.</summary>
    public static string? Require(ITestOutputHelper output)
    {
        var (path, problem) = Published.Value;
        if (path is not null) return path;
        if (IsCi) Assert.Fail($"the Lambda build is needed (CI=true, so this is a failure): {problem}");
        output.WriteLine($"SKIPPED: {problem}");
        return null;
    }

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI")?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    private static (string?, string) Publish()
    {
        foreach (string program in new[] { "readelf", "objdump" })
            if (Run("sh", "-c", $"command -v {program}").ExitCode != 0)
                return (null, $"{program} is not installed (Debian package binutils; scripts/test.sh installs it)");
        string root = RepositoryRoot;
        string outDir = Path.Combine(root, "artifacts", "lambda", Architecture);
        var result = Run(Path.Combine(root, "scripts", "publish-lambda.sh"), Architecture, outDir);
        if (result.ExitCode != 0)
            return (null, $"scripts/publish-lambda.sh {Architecture} failed (exit {result.ExitCode}): {result.Stderr.Trim()}");
        string path = result.Stdout.Trim().Split('\n')[^1];
        return File.Exists(path) ? (path, "") : (null, $"scripts/publish-lambda.sh printed '{path}', which does not exist");
    }

    public sealed record Outcome(int ExitCode, string Stdout, string Stderr);

    /// <summary>Runs a program to its end, with <paramref name="environment"/> set (a null value unsets a variable).</summary>
    public static Outcome Run(string program, params string[] args) => Run(program, args, new Dictionary<string, string?>());

    public static Outcome Run(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryRoot,
        };
        foreach (string a in args) start.ArgumentList.Add(a);
        foreach (var (name, value) in environment)
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return new Outcome(process.ExitCode, stdout, stderr.Result);
    }
}
