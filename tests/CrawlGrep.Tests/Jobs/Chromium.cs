using System.Diagnostics;
using CrawlGrep.Tests.Conformance;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Jobs;

/// <summary>
/// The Chromium browser (Debian package <c>chromium</c>), run headless to load a page as a reader's browser would.
/// When it is missing, a test fails if CI=true and otherwise passes saying SKIPPED.
/// </summary>
internal static class Chromium
{
    private static readonly Lazy<string?> Located = new(() =>
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            foreach (var name in new[] { "chromium", "chromium-browser" })
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    });

    /// <summary>The browser's path, or null when the test should end without checking anything.</summary>
    public static string? Require(ITestOutputHelper output)
    {
        if (Located.Value is { } path) return path;
        const string problem = "chromium is not installed (Debian package 'chromium'; scripts/test.sh installs it)";
        if (RealData.IsCi) Assert.Fail($"{problem}. CI=true, so this is a failure.");
        output.WriteLine($"SKIPPED: {problem}");
        return null;
    }

    /// <summary>The DOM of <paramref name="page"/> after loading, as the browser serializes it.</summary>
    public static string DumpDom(string chromium, string page, string scratch) =>
        Run(chromium, scratch, ["--dump-dom", new Uri(page).AbsoluteUri]).Stdout;

    /// <summary>Renders <paramref name="page"/> at 1200×1600 into the PNG <paramref name="png"/>.</summary>
    public static void Screenshot(string chromium, string page, string png, string scratch)
    {
        Run(chromium, scratch, [$"--screenshot={png}", "--window-size=1200,1600", "--hide-scrollbars", new Uri(page).AbsoluteUri]);
        Assert.True(File.Exists(png), $"chromium wrote no screenshot {png}");
    }

    /// <summary>
    /// Runs the browser headless on a profile of its own; the headless mode is <c>--headless</c>, else
    /// <c>--headless=new</c> if the first gives nothing (builds differ in which they take).
    /// </summary>
    private static (string Stdout, string Stderr) Run(string chromium, string scratch, IReadOnlyList<string> args)
    {
        var problems = new List<string>();
        foreach (var headless in new[] { "--headless", "--headless=new" })
        {
            var profile = Directory.CreateDirectory(Path.Combine(scratch, "chromium-profile-" + Guid.NewGuid().ToString("N"))).FullName;
            var psi = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
            foreach (var a in new[] { headless, "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                         "--no-default-browser-check", $"--user-data-dir={profile}" }.Concat(args))
                psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            p.StandardInput.Close();
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(60_000))
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit();
                problems.Add($"{headless}: no exit within 60 s");
                continue;
            }
            var said = stderr.Result;
            var screenshot = args.FirstOrDefault(a => a.StartsWith("--screenshot=", StringComparison.Ordinal));
            var produced = screenshot is null ? stdout.Result.Contains("</html>", StringComparison.OrdinalIgnoreCase) : File.Exists(screenshot["--screenshot=".Length..]);
            if (p.ExitCode == 0 && produced) return (stdout.Result, said);
            problems.Add($"{headless}: exit {p.ExitCode}; stderr ends: {said[Math.Max(0, said.Length - 800)..]}");
        }
        Assert.Fail($"chromium {string.Join(' ', args)} failed: {string.Join(" | ", problems)}");
        return ("", "");
    }
}
