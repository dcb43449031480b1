using CrawlGrep.Core.Planning;

namespace CrawlGrep.Core.Jobs;

/// <summary>
/// A research job as its file defines it: the question (patterns, flags, filters), what it reads (paths, or a
/// crawl selection), where it runs, where its results go, and when. Read by <see cref="JobFile"/>; every path in it
/// is already resolved against the job file's folder.
/// </summary>
public sealed record JobDefinition
{
    /// <summary>The job's name in the database: letters, digits, '-', '_' and '.'.</summary>
    public required string Name { get; init; }

    /// <summary>The job file, as a full path.</summary>
    public required string File { get; init; }

    /// <summary>What is scanned for: the patterns (those of pattern files included, in order), flags, filters, limits.</summary>
    public required ScanSpec Spec { get; init; }

    /// <summary>What the job reads.</summary>
    public required JobInput Input { get; init; }

    public JobExecutor Executor { get; init; } = new();

    /// <summary>The result database (full path): <c>crawlgrep.duckdb</c> beside the job file unless the file says.</summary>
    public required string Database { get; init; }

    /// <summary>A Parquet file written per run, with <c>{job}</c>, <c>{crawl}</c> and <c>{run}</c> filled in; null: none. Full path.</summary>
    public string? ParquetTemplate { get; init; }

    /// <summary>When <c>crawlgrep job tick</c> runs it; null: only on a new crawl (each-new) or by hand.</summary>
    public JobSchedule? Schedule { get; init; }

    /// <summary>
    /// The version of the question: a hash of what decides the hits (patterns with their files' content, flags,
    /// filters, limits, which files of a crawl or which paths). A new version starts new runs; comments, the
    /// schedule, the executor and the outputs are not part of it, so editing them never scans a crawl again.
    /// </summary>
    public required string Version { get; init; }

    /// <summary>A hash of the job file's bytes, as it was read.</summary>
    public required string ContentHash { get; init; }

    /// <summary>The file's text, as it was read.</summary>
    public required string Text { get; init; }

    /// <summary>The line of each key in the file (dotted: "patterns", "input.crawl", "schedule.cron"), for errors found after reading.</summary>
    public IReadOnlyDictionary<string, int> Lines { get; init; } = new Dictionary<string, int>();

    /// <summary>The line of <paramref name="key"/>, else 1.</summary>
    public int LineOf(string key) => Lines.TryGetValue(key, out int line) ? line : 1;
}

/// <summary>What a job reads: <see cref="Paths"/>, or a crawl selection (<see cref="Crawl"/>). Exactly one is set.</summary>
public sealed record JobInput
{
    /// <summary>Archives, folders or URLs (local ones as full paths).</summary>
    public IReadOnlyList<string>? Paths { get; init; }

    public JobCrawls? Crawl { get; init; }
}

/// <summary>How a job names its crawls.</summary>
public enum JobCrawlMode
{
    /// <summary>The newest crawl at the time of each run.</summary>
    Latest,
    /// <summary>Every crawl from <see cref="JobCrawls.Since"/> (default: the newest when the job is first run) on, each once.</summary>
    EachNew,
    /// <summary>The crawls listed in <see cref="JobCrawls.Ids"/>.</summary>
    Named,
}

/// <summary>Which crawls, and which of their files.</summary>
public sealed record JobCrawls
{
    public required JobCrawlMode Mode { get; init; }

    /// <summary>The crawls as the file names them (an id or its year-week), when <see cref="Mode"/> is Named.</summary>
    public IReadOnlyList<string> Ids { get; init; } = [];

    /// <summary>each-new: the first crawl the job covers, as the file names it; null: the newest when the job is first recorded.</summary>
    public string? Since { get; init; }

    public CrawlFileType Type { get; init; } = CrawlFileType.Warc;
    public string? Segment { get; init; }
    public int? Sample { get; init; }
    public long Seed { get; init; }
    public int? Files { get; init; }

    /// <summary>The crawl list (URL or full path); null: the default (<see cref="CrawlCatalog.DefaultCollinfo"/>).</summary>
    public string? Collinfo { get; init; }

    /// <summary>Where crawl-data/ lives (URL or full path); null: the default (<see cref="CrawlCatalog.DefaultDataRoot"/>).</summary>
    public string? CcRoot { get; init; }

    /// <summary>The selection of one crawl's files.</summary>
    public CrawlSelection Selection(string crawlId) => new() { Crawl = crawlId, Type = Type, Segment = Segment, Sample = Sample, Seed = Seed, Files = Files };
}

/// <summary>Where a job's tasks run: the local cores (<see cref="Threads"/>), or an AWS Lambda function.</summary>
public sealed record JobExecutor
{
    /// <summary>Local tasks at once; null: every core.</summary>
    public int? Threads { get; init; }

    /// <summary>The Lambda function (name or ARN); null: local.</summary>
    public string? Lambda { get; init; }

    public int? Concurrency { get; init; }

    /// <summary>s3://BUCKET/PREFIX/ for partial results.</summary>
    public string? Results { get; init; }

    /// <summary>Dollars per run at most.</summary>
    public double? MaxCost { get; init; }

    public int? MemoryMb { get; init; }

    /// <summary>The Lambda API endpoint, when not AWS's own.</summary>
    public string? Endpoint { get; init; }
}

/// <summary>A cron schedule (five fields, or six with seconds) in a time zone.</summary>
public sealed record JobSchedule(string Cron, string TimeZone)
{
    /// <summary>The zone a schedule without one runs in.</summary>
    public const string DefaultTimeZone = "UTC";
}
