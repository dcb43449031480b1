using CrawlGrep.Core.Execution;
using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Sources;

namespace CrawlGrep.Core.Jobs;

/// <summary>
/// A job checked against what it names beyond its file: its patterns compile, and the crawls it names exist in
/// Common Crawl's crawl list (fetched afresh when <c>refresh</c>, as a run or tick must see a new crawl: the cached copy
/// is the fallback when the list cannot be fetched). Any problem is a <see cref="JobFileException"/> at the key's line, before anything runs.
/// </summary>
/// <param name="Catalog">The crawl catalog of a crawl job; null for a path job.</param>
/// <param name="NewestFirst">Every crawl id, newest first (null for a path job).</param>
/// <param name="Named">A named job's crawls as ids.</param>
/// <param name="Since">each-new: the file's first crawl as an id, when it names one.</param>
public sealed record JobCrawlList(CrawlCatalog? Catalog, IReadOnlyList<string>? NewestFirst, IReadOnlyList<string>? Named, string? Since)
{
    /// <summary>Checks <paramref name="job"/>; <paramref name="warn"/> hears of a stale crawl list. Without <paramref name="refresh"/>, a crawl list cached today is used as it is.</summary>
    public static JobCrawlList Check(JobDefinition job, Func<string, IByteSource> open, string? cacheDir, Action<string> warn, bool refresh = true)
    {
        if (TaskRunner.Compile(job.Spec, linesOnly: false, progress: null, out string? patternError) is null)
            throw new JobFileException(job.File, job.LineOf(job.Spec.Filters.Url is not null && patternError!.Contains("--url") ? "filters.url" : "patterns"), patternError!);
        if (job.Input.Crawl is not { } crawl) return new JobCrawlList(null, null, null, null);

        var catalog = new CrawlCatalog(open, crawl.CcRoot ?? CrawlCatalog.DefaultDataRoot(), crawl.Collinfo ?? CrawlCatalog.DefaultCollinfo(), cacheDir);
        IReadOnlyList<CrawlInfo> crawls;
        try { crawls = catalog.Crawls(refresh); }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw new JobFileException(job.File, job.LineOf(job.Lines.ContainsKey("input.collinfo") ? "input.collinfo" : "input.crawl"), e.Message);
        }
        if (catalog.Warning is { } warning) warn(warning);
        if (crawls.Count == 0) throw new JobFileException(job.File, job.LineOf("input.crawl"), $"{catalog.Collinfo}: the crawl list is empty");

        string Resolve(string name, string key)
        {
            try { return catalog.ResolveCrawl(name); }
            catch (ArgumentException e) { throw new JobFileException(job.File, job.LineOf(key), e.Message); }
        }
        var named = crawl.Mode == JobCrawlMode.Named ? crawl.Ids.Select(id => Resolve(id, "input.crawl")).Distinct().ToList() : null;
        string? since = crawl.Since is { } s ? Resolve(s, "input.since") : null;
        return new JobCrawlList(catalog, crawls.Select(c => c.Id).ToList(), named, since);
    }
}
