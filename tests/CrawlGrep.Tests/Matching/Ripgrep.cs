using System.Diagnostics;
using System.Text.Json;
using CrawlGrep.Tests.Conformance;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Matching;

/// <summary>One submatch of a ripgrep match message: byte offsets relative to the start of its line.</summary>
internal readonly record struct RgSubmatch(int Start, int End);

/// <summary>One <c>match</c> message of <c>rg --json</c>: a matching line and its submatches.</summary>
internal sealed record RgMatch(long LineNumber, long AbsoluteOffset, RgSubmatch[] Submatches);

/// <summary>
/// ripgrep as the reference matcher: finds <c>rg</c> on PATH, runs it with <c>--json -a --encoding none</c> and parses its
/// <c>match</c> messages. When rg is missing, a test fails if CI=true and otherwise passes saying SKIPPED.
/// </summary>
internal static class Ripgrep
{
    private static readonly Lazy<string?> Located = new(() =>
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, OperatingSystem.IsWindows() ? "rg.exe" : "rg");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    });

    private static readonly Lazy<string> VersionText = new(() =>
    {
        var (code, stdout, stderr) = Run(["--version"], Environment.CurrentDirectory);
        return code == 0 ? stdout.Split('\n')[0].Trim() : $"(rg --version failed: {stderr.Trim()})";
    });

    public static string? Executable => Located.Value;

    /// <summary>First line of <c>rg --version</c>.</summary>
    public static string Version => VersionText.Value;

    /// <summary>
    /// The rg executable, or null when it is missing and the test should end without checking anything.
    /// Fails the test when CI=true and rg is missing.
    /// </summary>
    public static string? Require(ITestOutputHelper output)
    {
        if (Executable is { } rg) return rg;
        const string problem = "ripgrep (rg) is not on PATH; scripts/test.sh installs it (Debian package 'ripgrep')";
        if (RealData.IsCi) Assert.Fail($"{problem}. CI=true, so this is a failure.");
        output.WriteLine($"SKIPPED: {problem}");
        return null;
    }

    /// <summary>
    /// Runs <c>rg --no-config --json -a --encoding none ARGS -- .</c> in <paramref name="directory"/> and returns the match
    /// messages per file, keyed by the file's path relative to that folder ('/' separated).
    /// </summary>
    public static Dictionary<string, List<RgMatch>> Search(IEnumerable<string> args, string directory)
    {
        // -E none: bytes as they are (no BOM sniffing or UTF-16 transcoding), as the matcher sees them.
        string[] all = ["--no-config", "--json", "-a", "--encoding", "none", "--no-ignore", "--hidden", .. args, "--", "."];
        var result = new Dictionary<string, List<RgMatch>>(StringComparer.Ordinal);
        var psi = Start(all, directory);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("rg did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        string? line;
        while ((line = process.StandardOutput.ReadLine()) is not null)
        {
            // Only match messages are parsed; begin/end/summary are skipped without a full parse.
            if (!line.StartsWith("{\"type\":\"match\"", StringComparison.Ordinal)) continue;
            var (path, match) = ParseMatch(line);
            if (!result.TryGetValue(path, out var list)) result[path] = list = new List<RgMatch>();
            list.Add(match);
        }
        process.WaitForExit();
        // rg exits 0 (matches), 1 (no match), 2 (error).
        if (process.ExitCode > 1)
            throw new InvalidOperationException($"rg {string.Join(' ', all)} exited {process.ExitCode}: {stderr.Result.Trim()}");
        return result;
    }

    private static (string Path, RgMatch Match) ParseMatch(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var data = doc.RootElement.GetProperty("data");
        string path = Text(data.GetProperty("path"));
        if (path.StartsWith("./", StringComparison.Ordinal)) path = path[2..];
        path = path.Replace('\\', '/');
        var subs = data.GetProperty("submatches");
        var submatches = new RgSubmatch[subs.GetArrayLength()];
        int i = 0;
        foreach (var s in subs.EnumerateArray())
            submatches[i++] = new RgSubmatch(s.GetProperty("start").GetInt32(), s.GetProperty("end").GetInt32());
        return (path, new RgMatch(data.GetProperty("line_number").GetInt64(), data.GetProperty("absolute_offset").GetInt64(), submatches));
    }

    /// <summary>rg's arbitrary-data object: {"text": ...} or, for invalid UTF-8, {"bytes": base64}.</summary>
    private static string Text(JsonElement e) =>
        e.TryGetProperty("text", out var t) ? t.GetString()! : System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(e.GetProperty("bytes").GetString()!));

    private static ProcessStartInfo Start(IEnumerable<string> args, string directory)
    {
        var psi = new ProcessStartInfo(Executable ?? throw new InvalidOperationException("rg not found"))
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        foreach (string a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("RIPGREP_CONFIG_PATH");
        return psi;
    }

    private static (int Code, string Stdout, string Stderr) Run(IEnumerable<string> args, string directory)
    {
        using var process = Process.Start(Start(args, directory)) ?? throw new InvalidOperationException("rg did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }
}
