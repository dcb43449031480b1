using System.CommandLine;
using System.Globalization;
using CrawlGrep.Core.Jobs;
using CrawlGrep.Core.Results;

namespace CrawlGrep.Cli.Commands;

/// <summary>
/// <c>crawlgrep job new|run|tick|status|list|report|install-timer</c>: research jobs, a scan written once in a job
/// file, run on a schedule and on each new crawl, resumed after failure, compared across crawls.
/// </summary>
public static class JobCommand
{
    public const int ExitOk = 0, ExitError = 2;

    public static Command Create()
    {
        var command = new Command("job", "Research jobs: a scan kept in a job file, run on a schedule and on every new crawl (see: crawlgrep job new)");
        command.Subcommands.Add(New());
        command.Subcommands.Add(RunJobs());
        command.Subcommands.Add(Tick());
        command.Subcommands.Add(JobStatusCommand.Create());
        command.Subcommands.Add(List());
        command.Subcommands.Add(JobReportCommand.Create());
        command.Subcommands.Add(JobTimer.Create());
        return command;
    }

    private static Command New()
    {
        var name = new Argument<string>("NAME") { Description = "The job's name; writes NAME.toml" };
        var dir = new Option<string>("--dir") { Description = "Where to write it [default: the current folder]", HelpName = "DIR" };
        var command = new Command("new", "Write a commented example job file, NAME.toml, to edit");
        command.Arguments.Add(name);
        command.Options.Add(dir);
        command.SetAction(pr =>
        {
            string job = pr.GetValue(name)!;
            if (job.Length == 0 || !job.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                return Fail($"job new: '{job}' is not a job name: letters, digits, '-', '_' and '.'");
            string file = Path.Combine(pr.GetValue(dir) ?? ".", job + ".toml");
            if (File.Exists(file)) return Fail($"job new: {file} exists: edit it, or pick another name");
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
                File.WriteAllText(file, JobTemplate.For(job));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return Fail($"job new: {file}: {e.Message}"); }
            Console.Out.WriteLine(file);
            Console.Error.WriteLine($"crawlgrep: wrote {file}; edit it, then: crawlgrep job run {file}");
            return ExitOk;
        });
        return command;
    }

    private static Command RunJobs()
    {
        var files = new Argument<string[]>("FILE") { Description = "Job files", Arity = ArgumentArity.OneOrMore };
        var command = new Command("run", "Run jobs now: finish their unfinished runs, then run each crawl not yet done (or, for paths, a new run)");
        command.Arguments.Add(files);
        command.SetAction(pr => RunAll(pr.GetValue(files)!, byHand: true));
        return command;
    }

    private static Command Tick()
    {
        var dir = new Argument<string>("DIR") { Description = "A folder of job files (*.toml)" };
        var command = new Command("tick", "Run every job in DIR that is due, has a new crawl or an unfinished run: what cron or a systemd timer runs (see: crawlgrep job install-timer)");
        command.Arguments.Add(dir);
        command.SetAction(pr =>
        {
            string folder = pr.GetValue(dir)!;
            if (!Directory.Exists(folder)) return Fail($"job tick: {folder}: no such folder");
            var files = Directory.EnumerateFiles(folder, "*.toml").Order(StringComparer.Ordinal).ToList();
            if (files.Count == 0) { Console.Error.WriteLine($"crawlgrep: job tick: no job files (*.toml) in {folder}"); return ExitOk; }
            return RunAll(files, byHand: false);
        });
        return command;
    }

    /// <summary>Runs each job in turn; a bad job file is one line and the others still run. Exit 2 when any failed, 130 on Ctrl-C.</summary>
    private static int RunAll(IReadOnlyList<string> files, bool byHand)
    {
        var runner = new JobRunner(Console.Out, Console.Error);
        bool failed = false;
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in files)
        {
            JobDefinition job;
            try { job = JobFile.Read(file); }
            catch (JobFileException e) { Console.Error.WriteLine($"crawlgrep: {e.Message}"); failed = true; continue; }
            string key = $"{Path.GetFullPath(job.Database)}\n{job.Name}";
            if (names.TryGetValue(key, out string? other))
            {
                Console.Error.WriteLine($"crawlgrep: {job.File}:{job.LineOf("name")}: job '{job.Name}' is also defined by {other} in the same database: skipped");
                failed = true;
                continue;
            }
            names[key] = job.File;
            switch (runner.Run(job, byHand))
            {
                case JobRunner.Result.Interrupted: return ScanRun.ExitInterrupted;
                case JobRunner.Result.Failed: failed = true; break;
                case JobRunner.Result.Busy: failed |= byHand; break;
                case JobRunner.Result.Nothing when byHand: Console.Error.WriteLine($"crawlgrep: job {job.Name}: nothing to do: every crawl it names is done at this version"); break;
            }
        }
        return failed ? ExitError : ExitOk;
    }

    private static Command List()
    {
        var db = CommandSupport.DbOption();
        var csv = CommandSupport.CsvOption();
        var json = CommandSupport.JsonOption();
        var command = new Command("list", "List the jobs a result database knows, with their runs");
        command.Options.Add(db);
        command.Options.Add(csv);
        command.Options.Add(json);
        command.SetAction(pr => CommandSupport.Run(pr, "job list", output =>
        {
            var result = SqlRunner.Run(pr.GetValue(db) ?? ResultStore.DefaultPath, """
                SELECT j.job, j.version,
                       count(r.run_id) FILTER (WHERE r.version = j.version) AS runs,
                       count(r.run_id) FILTER (WHERE r.version = j.version AND r.status = 'complete') AS complete,
                       count(r.run_id) FILTER (WHERE r.version = j.version AND r.status = 'failed') AS failed,
                       max(r.crawl) FILTER (WHERE r.version = j.version AND r.status = 'complete') AS latest_crawl,
                       max(r.started_at) AS last_run,
                       sum(r.hits) FILTER (WHERE r.version = j.version) AS hits,
                       j.schedule, j.file
                FROM jobs j LEFT JOIN job_runs r ON r.job = j.job
                GROUP BY ALL ORDER BY j.job
                """, readOnly: true);
            CommandSupport.Print(result, CommandSupport.ResolveFormat(pr, csv, json), output);
            return ExitOk;
        }));
        return command;
    }

    internal static int Fail(string message)
    {
        Console.Error.WriteLine($"crawlgrep: {message}");
        return ExitError;
    }

    internal static string Time(DateTime t) => t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";
}
