using System.CommandLine;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace CrawlGrep.Cli.Commands;

/// <summary>
/// <c>crawlgrep job install-timer DIR</c>: what runs <c>crawlgrep job tick DIR</c> every few minutes: a crontab line
/// (printed, or added to the user's crontab with --write), or a systemd user timer and service (--systemd).
/// </summary>
internal static class JobTimer
{
    public static Command Create()
    {
        var dir = new Argument<string>("DIR") { Description = "The folder of job files the tick runs" };
        var every = new Option<int>("--every") { Description = "Minutes between ticks", HelpName = "MINUTES", DefaultValueFactory = _ => 15 };
        var systemd = new Option<bool>("--systemd") { Description = "A systemd user timer and service instead of a crontab line" };
        var write = new Option<bool>("--write") { Description = "Install it: add the line to the user's crontab, or write the units to ~/.config/systemd/user" };
        var command = new Command("install-timer", "Print (or install) the cron line or systemd timer that runs crawlgrep job tick DIR");
        command.Arguments.Add(dir);
        command.Options.Add(every);
        command.Options.Add(systemd);
        command.Options.Add(write);
        command.SetAction(pr =>
        {
            string folder = Path.GetFullPath(pr.GetValue(dir)!);
            if (!Directory.Exists(folder)) return JobCommand.Fail($"job install-timer: {folder}: no such folder");
            int minutes = pr.GetValue(every);
            if (minutes is < 1 or > 59) return JobCommand.Fail("job install-timer: --every: 1 to 59 minutes");
            string tick = $"{Self()} job tick {Quote(folder)}";
            string log = Quote(Path.Combine(folder, "tick.log"));
            if (!pr.GetValue(systemd))
            {
                string line = $"*/{minutes} * * * * cd {Quote(folder)} && {tick} >> {log} 2>&1";
                if (!pr.GetValue(write)) { Console.Out.WriteLine(line); return JobCommand.ExitOk; }
                return AddToCrontab(line);
            }
            string name = $"crawlgrep-tick-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(folder)))[..8]}";
            string service = $"""
                [Unit]
                Description=crawlgrep job tick {folder}

                [Service]
                Type=oneshot
                WorkingDirectory={folder}
                ExecStart={tick}
                """;
            string timer = $"""
                [Unit]
                Description=Runs crawlgrep job tick {folder} every {minutes} minutes

                [Timer]
                OnCalendar=*:0/{minutes}
                Persistent=true

                [Install]
                WantedBy=timers.target
                """;
            if (!pr.GetValue(write))
            {
                Console.Out.WriteLine($"# ~/.config/systemd/user/{name}.service\n{service}\n\n# ~/.config/systemd/user/{name}.timer\n{timer}\n\n# then: systemctl --user daemon-reload && systemctl --user enable --now {name}.timer");
                return JobCommand.ExitOk;
            }
            string config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } x ? x : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
            string units = Path.Combine(config, "systemd", "user");
            try
            {
                Directory.CreateDirectory(units);
                File.WriteAllText(Path.Combine(units, name + ".service"), service + "\n");
                File.WriteAllText(Path.Combine(units, name + ".timer"), timer + "\n");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return JobCommand.Fail($"job install-timer: {units}: {e.Message}"); }
            Console.Out.WriteLine(Path.Combine(units, name + ".timer"));
            Console.Error.WriteLine($"crawlgrep: wrote {name}.service and {name}.timer; start it: systemctl --user daemon-reload && systemctl --user enable --now {name}.timer");
            return JobCommand.ExitOk;
        });
        return command;
    }

    /// <summary>This crawlgrep as a command a scheduler can run: the program itself, or <c>dotnet crawlgrep.dll</c> for a framework-dependent build.</summary>
    private static string Self()
    {
        string? process = Environment.ProcessPath;
        if (process is not null && !Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase)) return Quote(process);
        return $"{Quote(process ?? "dotnet")} {Quote(Path.Combine(AppContext.BaseDirectory, "crawlgrep.dll"))}";
    }

    private static int AddToCrontab(string line)
    {
        string current = "";
        try
        {
            var (code, output) = Crontab(["-l"], null);
            if (code == 0) current = output; // no crontab yet: exit 1 and an empty one
        }
        catch (System.ComponentModel.Win32Exception) { return JobCommand.Fail("job install-timer --write: no crontab command here; add the line by hand (drop --write to print it)"); }
        if (current.Split('\n').Any(l => l.Trim() == line)) { Console.Error.WriteLine("crawlgrep: the line is in the crontab already"); return JobCommand.ExitOk; }
        var (written, said) = Crontab(["-"], current.TrimEnd('\n') + (current.Length > 0 ? "\n" : "") + line + "\n");
        if (written != 0) return JobCommand.Fail($"job install-timer: crontab refused the line: {said.Trim()}");
        Console.Out.WriteLine(line);
        Console.Error.WriteLine("crawlgrep: added to the crontab (crontab -l shows it)");
        return JobCommand.ExitOk;
    }

    private static (int Code, string Output) Crontab(string[] args, string? input)
    {
        var psi = new ProcessStartInfo("crontab") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        if (input is not null) p.StandardInput.Write(input);
        p.StandardInput.Close();
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output);
    }

    private static string Quote(string s) => s.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '-' or '_') ? s : "'" + s.Replace("'", "'\\''") + "'";
}
