namespace CrawlGrep.Core.Jobs;

/// <summary>
/// What a job has to do now: the runs to finish, then the runs to start. Decided from the job, what the database
/// says it has done, the crawls Common Crawl lists and the time; nothing here reads or writes anything, so the rules
/// are tested on their own.
/// </summary>
/// <param name="Resume">Unfinished runs of the current version to carry on (through resume, never from the start).</param>
/// <param name="Start">Runs to start: crawl ids, oldest first; a null item is a run of the job's paths.</param>
/// <param name="Due">A schedule time has come (the caller marks it handled).</param>
public sealed record JobAgenda(IReadOnlyList<JobRun> Resume, IReadOnlyList<string?> Start, bool Due)
{
    public bool IsEmpty => Resume.Count == 0 && Start.Count == 0;

    /// <summary>
    /// The rules:
    /// <list type="bullet">
    /// <item>A run of the current version left running (its process died: the caller holds the job's lock), or
    /// incomplete, is resumed; after <see cref="JobRun.MaxAttempts"/> tries a tick leaves it failed, and only a run
    /// by hand (<paramref name="byHand"/>) tries it again.</item>
    /// <item>A tick looks for new work only when due: at every tick for a job without a schedule, else when a schedule
    /// time has passed since the last it handled. A run by hand always looks.</item>
    /// <item>Crawl jobs: each crawl is run once per version. latest: the newest crawl; each-new: every crawl from the
    /// job's first (<see cref="JobRecord.SinceCrawl"/>) to the newest; named: the crawls named.</item>
    /// <item>Path jobs: a run by hand starts one (when none is left to finish); a tick starts one when a schedule time
    /// has come, never without a schedule.</item>
    /// </list>
    /// </summary>
    /// <param name="runs">The runs of the job's current version.</param>
    /// <param name="crawls">Crawl ids, newest first (null for a path job); <paramref name="named"/> are the named crawls resolved to ids.</param>
    public static JobAgenda Plan(JobDefinition job, JobRecord record, IReadOnlyList<JobRun> runs, IReadOnlyList<string>? crawls,
        IReadOnlyList<string>? named, DateTime now, bool byHand)
    {
        var resume = runs.Where(r => r.Status is JobRun.Running or JobRun.Incomplete || (byHand && r.Status == JobRun.Failed)).ToList();
        bool due = job.Schedule is { } schedule && JobDue.IsDue(schedule, record.ScheduleCheckedAt, now);
        bool look = byHand || job.Schedule is null || due;
        var start = new List<string?>();
        if (!look) return new JobAgenda(resume, start, due);

        if (job.Input.Crawl is { } selection)
        {
            var done = runs.Where(r => r.Crawl is not null).Select(r => r.Crawl!).ToHashSet(StringComparer.Ordinal);
            IEnumerable<string> wanted = selection.Mode switch
            {
                JobCrawlMode.Latest => crawls is { Count: > 0 } ? [crawls[0]] : [],
                JobCrawlMode.EachNew => Since(crawls ?? [], record.SinceCrawl),
                _ => named ?? [],
            };
            start.AddRange(wanted.Where(c => !done.Contains(c)));
        }
        else if (resume.Count == 0 && (byHand || due)) start.Add(null);
        return new JobAgenda(resume, start, due);
    }

    /// <summary>The crawls from <paramref name="since"/> to the newest, oldest first (the newest alone when it is not listed).</summary>
    private static IEnumerable<string> Since(IReadOnlyList<string> newestFirst, string? since)
    {
        if (newestFirst.Count == 0) return [];
        int at = since is null ? -1 : newestFirst.ToList().IndexOf(since);
        return newestFirst.Take(at < 0 ? 1 : at + 1).Reverse();
    }
}
