using System.Diagnostics;

namespace CrawlGrep.Tests.EndToEnd;

/// <summary>Runs the built <c>crawlgrep</c> as a real process and captures what it prints.</summary>
public static class Cli
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string[] Lines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();
    }

    private static string Dll => Path.Combine(AppContext.BaseDirectory, "crawlgrep.dll");

    public static Result Run(string workDir, params string[] args) => Run(workDir, new Dictionary<string, string?>(), args);

    /// <summary>Runs with <paramref name="environment"/> set over the inherited environment (a null value unsets).</summary>
    public static Result Run(string workDir, IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        Run(workDir, environment, TimeSpan.FromMinutes(5), args);

    /// <summary>As above, for a run that may take longer than five minutes on a loaded machine before it counts as hung.</summary>
    public static Result Run(string workDir, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        psi.ArgumentList.Add(Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment)
        {
            if (value is null) psi.Environment.Remove(name);
            else psi.Environment[name] = value;
        }
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(true);
            p.WaitForExit();
            string said = stderr.Wait(5_000) ? stderr.Result : "";
            throw new TimeoutException($"crawlgrep {string.Join(' ', args)} did not finish; its stderr ended: {said[Math.Max(0, said.Length - 2000)..]}");
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }
}
