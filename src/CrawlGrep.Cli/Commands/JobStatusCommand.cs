using System.CommandLine;
using System.Text;
using CrawlGrep.Cli.Output;
using CrawlGrep.Core.Jobs;
using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Results;
using CrawlGrep.Core.Sources;

namespace CrawlGrep.Cli.Commands;

/// <summary>
/// <c>crawlgrep job status [FILE...]</c>: where each job stands: its runs at the current version, the crawls done,
/// what runs now or was interrupted, what failed, when it is next due, its last run's time and cost, and its hits per
/// crawl as a bar each.
/// </summary>
internal static class JobStatusCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("FILE") { Description = "Job files [default: every job in --db]", Arity = ArgumentArity.ZeroOrMore };
        var db = new Option<string?>("--db") { Description = $"The result database, when no job file is named [default: {ResultStore.DefaultPath}]", HelpName = "FILE" };
        var command = new Command("status", "Show where jobs stand: runs, crawls done, running, failed, next due time, last duration and cost, hits per crawl");
        command.Arguments.Add(files);
        command.Options.Add(db);
        command.SetAction(pr =>
        {
            var named = pr.GetValue(files) ?? [];
            var targets = new List<(string Db, string Job, JobDefinition? Definition)>();
            foreach (string file in named)
            {
                try { var d = JobFile.Read(file); targets.Add((d.Database, d.Name, d)); }
                catch (JobFileException e) { return JobCommand.Fail(e.Message); }
            }
            if (named.Length == 0)
            {
                string path = pr.GetValue(db) ?? ResultStore.DefaultPath;
                if (!File.Exists(path)) return JobCommand.Fail($"job status: {path}: no such result file (name a job file, or --db FILE)");
                try
                {
                    using var store = new ResultStore(path);
                    targets.AddRange(store.Jobs().Select(j => (path, j.Job, (JobDefinition?)null)));
                }
                catch (ResultStoreException e) { return JobCommand.Fail($"job status: {e.Message}"); }
                if (targets.Count == 0) { Console.Error.WriteLine($"crawlgrep: job status: no jobs in {path} yet (crawlgrep job run FILE records one)"); return JobCommand.ExitOk; }
            }
            var output = Console.Out;
            bool first = true;
            foreach (var (path, job, definition) in targets)
            {
                if (!first) output.WriteLine();
                first = false;
                try { Print(output, path, job, definition); }
                catch (ResultStoreException e) { return JobCommand.Fail($"job status: {e.Message}"); }
            }
            return JobCommand.ExitOk;
        });
        return command;
    }

    private static void Print(TextWriter o, string db, string name, JobDefinition? definition)
    {
        if (!File.Exists(db))
        {
            o.WriteLine($"job {name}: never run (no result file {db} yet)");
            return;
        }
        JobRecord? job;
        IReadOnlyList<JobRun> all;
        using (var store = new ResultStore(db))
        {
            job = store.LoadJob(name);
            all = job is null ? [] : store.JobRuns(name);
        }
        if (job is null)
        {
            o.WriteLine($"job {name}: never run (not in {db} yet)");
            return;
        }
        definition ??= ReadIfSame(job.File, name, db);
        bool edited = definition is not null && definition.Version != job.Version;
        var runs = all.Where(r => r.Version == job.Version).ToList();
        bool held = JobLock.IsHeld(db, name);
        o.WriteLine($"job {name}  (version {job.Version}{(edited ? $"; the file is now version {definition!.Version}, run at the next run or tick" : "")})");
        o.WriteLine($"  file         {job.File}");
        o.WriteLine($"  database     {db}");
        o.WriteLine($"  runs         {runs.Count:N0} at this version: {Count(runs, JobRun.Complete)} complete, {Count(runs, JobRun.Running)} running, " +
                    $"{Count(runs, JobRun.Incomplete)} incomplete, {Count(runs, JobRun.Failed)} failed" + (all.Count > runs.Count ? $" ({all.Count:N0} in all versions)" : ""));
        var done = runs.Where(r => r.Status == JobRun.Complete).Select(r => r.Label).ToList();
        o.WriteLine($"  crawls done  {(done.Count == 0 ? "none yet" : string.Join(", ", done))}" + (job.SinceCrawl is { } since ? $"  (each new crawl from {since})" : ""));
        foreach (var r in runs.Where(r => r.Status == JobRun.Running))
            o.WriteLine(held
                ? $"  running      {r.Label}: run {r.RunId}{(r.ScanId is long s ? $", scan {s}" : "")}, since {JobCommand.Time(r.StartedAt)} (try {r.Attempts})"
                : $"  interrupted  {r.Label}: run {r.RunId} stopped without finishing; the next run or tick resumes it");
        foreach (var r in runs.Where(r => r.Status == JobRun.Incomplete))
            o.WriteLine($"  incomplete   {r.Label}: run {r.RunId} after {r.Attempts} tr{(r.Attempts == 1 ? "y" : "ies")}: {r.Error}; the next tick resumes it");
        foreach (var r in runs.Where(r => r.Status == JobRun.Failed))
            o.WriteLine($"  failed       {r.Label}: run {r.RunId} after {r.Attempts} tries: {r.Error}; crawlgrep job run tries it again");
        if (definition is not null && !edited && ToDo(definition, job, runs) is { Count: > 0 } todo)
            o.WriteLine($"  to do        {string.Join(", ", todo)}: {(definition.Schedule is null ? "at the next tick" : "at the next due time")}, or now with crawlgrep job run");
        o.WriteLine($"  next due     {NextDue(definition?.Schedule ?? Stored(job.Schedule), job, definition)}");
        if (runs.Where(r => r.FinishedAt is not null).MaxBy(r => r.FinishedAt) is { } last)
            o.WriteLine($"  last run     {last.Label}: {last.Status}, {Seconds(last.Duration)}{(last.CostUsd is double c ? $", ${c:0.####}" : "")}, {last.Hits ?? 0:N0} hits, finished {JobCommand.Time(last.FinishedAt!.Value)}");
        var complete = runs.Where(r => r.Status == JobRun.Complete).OrderBy(r => r.Label, StringComparer.Ordinal).ToList();
        if (complete.Count == 0) return;
        o.WriteLine("  hits per crawl");
        bool ascii = Console.OutputEncoding.CodePage != Encoding.UTF8.CodePage;
        foreach (string line in CrawlBars.Render(complete.Select(r => (r.Label, r.Hits ?? 0)).ToList(), 40, ascii)) o.WriteLine("    " + line);
    }

    /// <summary>The job's file as it is now, when it is still there and still this job in this database.</summary>
    private static JobDefinition? ReadIfSame(string file, string name, string db)
    {
        if (!File.Exists(file)) return null;
        try
        {
            var d = JobFile.Read(file);
            return d.Name == name && Path.GetFullPath(d.Database) == Path.GetFullPath(db) ? d : null;
        }
        catch (JobFileException) { return null; }
    }

    /// <summary>
    /// The crawls the job has yet to run, from the crawl list as cached today (status stays off the network when it can);
    /// empty when the list cannot be read: status then says nothing rather than something wrong.
    /// </summary>
    private static IReadOnlyList<string> ToDo(JobDefinition definition, JobRecord job, IReadOnlyList<JobRun> runs)
    {
        if (definition.Input.Crawl is null) return [];
        try
        {
            using var sources = new SourceResolver(RemoteFlags.Defaults());
            var crawls = JobCrawlList.Check(definition, sources.Open, CrawlCatalog.DefaultCacheDir(), _ => { }, refresh: false);
            // The agenda of a run by hand (which ignores the schedule) starts exactly the crawls with no run yet.
            return JobAgenda.Plan(definition, job, runs, crawls.NewestFirst, crawls.Named, JobClock.Now(), byHand: true).Start.OfType<string>().ToList();
        }
        catch (Exception e) when (e is JobFileException or IOException or InvalidDataException) { return []; }
    }

    private static string NextDue(JobSchedule? schedule, JobRecord job, JobDefinition? definition)
    {
        if (schedule is null)
            return job.SinceCrawl is not null || definition?.Input.Crawl is not null ? "at every tick that finds a crawl not done (no schedule)" : "only by hand: crawlgrep job run (no schedule)";
        try
        {
            var now = JobClock.Now();
            var next = JobDue.Next(schedule, job.ScheduleCheckedAt);
            if (next is null) return $"never ({schedule.Cron}, {schedule.TimeZone})";
            return next <= now ? $"now: due since {JobCommand.Time(next.Value)} ({schedule.Cron}, {schedule.TimeZone})" : $"{JobCommand.Time(next.Value)} ({schedule.Cron}, {schedule.TimeZone})";
        }
        catch (Exception e) when (e is Cronos.CronFormatException or TimeZoneNotFoundException or InvalidTimeZoneException) { return $"unknown: {e.Message}"; }
    }

    /// <summary>The schedule as the jobs table keeps it: "CRON (ZONE)".</summary>
    private static JobSchedule? Stored(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        int open = text.LastIndexOf(" (", StringComparison.Ordinal);
        return open < 0 || !text.EndsWith(')') ? new JobSchedule(text, JobSchedule.DefaultTimeZone) : new JobSchedule(text[..open], text[(open + 2)..^1]);
    }

    private static int Count(List<JobRun> runs, string status) => runs.Count(r => r.Status == status);

    private static string Seconds(TimeSpan? t) => t is not { } d ? "?" : d.TotalSeconds < 120 ? $"{d.TotalSeconds:0.0} s" : d.TotalMinutes < 120 ? $"{d.TotalMinutes:0.0} min" : $"{d.TotalHours:0.0} h";
}
