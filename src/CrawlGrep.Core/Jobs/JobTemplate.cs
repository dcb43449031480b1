namespace CrawlGrep.Core.Jobs;

/// <summary>
/// The commented example job file <c>crawlgrep job new NAME</c> writes: a small job that runs as it is (a sample of
/// each new crawl's WET files, every morning), with every other key shown, commented out, with its default.
/// </summary>
public static class JobTemplate
{
    /// <summary>The example job file for a job named <paramref name="name"/> (letters, digits, '-', '_', '.').</summary>
    public static string For(string name) => $$"""
        # A research job: what to look for, in which crawls, where it runs, and when.
        # Run it with: crawlgrep job run {{name}}.toml

        name = "{{name}}"                # names the job in the database (letters, digits, '-', '_', '.')

        # What to look for: regexes (single quotes keep backslashes as they are), at least one here or in pattern_files.
        patterns = ['googletagmanager\.com', 'connect\.facebook\.net']
        # pattern_files = ["patterns.txt"]   # more patterns, one per line, beside this file (default: none)
        # fixed_strings = false              # patterns are literal strings, not regexes (default: false)
        # ignore_case = false                # case-insensitive matching (default: false)
        # word = false                       # only match whole words (default: false)
        # max_count = 100                    # stop reading a file after this many matching lines (default: no limit)

        # [filters]                          # which records are matched (default: every record of the default types)
        # types = ["response"]               # WARC record types (default: response, resource, conversion)
        # mime = ["text/html"]               # content-type globs, e.g. "text/*" (default: any)
        # url = '\.no/'                      # a regex the target URI must match (default: any)

        [input]                              # what is read: crawl, or paths
        crawl = "each-new"                   # "latest", "each-new", a crawl id ("CC-MAIN-2024-33", "2024-33") or a list of ids
        # since = "CC-MAIN-2024-33"          # each-new only: the first crawl covered (default: the newest when first run)
        type = "wet"                         # which files of a crawl: warc, wet (plain text) or wat (metadata) (default: warc)
        # segment = "1722640353668.0"        # only the files of this segment (default: all segments)
        sample = 10                          # a random sample of this many files (default: every file)
        seed = 1                             # which sample: the same seed picks the same files (default: 0)
        # files = 10                         # only the first N files, after segment and sample (default: all)
        # collinfo = "https://index.commoncrawl.org/collinfo.json"   # the crawl list, URL or path (default: this one)
        # cc_root = "s3://commoncrawl/"      # where crawl-data/ lives, URL or path (default: Common Crawl's)
        # paths = ["archives/"]              # instead of crawl: archives, folders or URLs (s3://, https://)

        # [executor]                         # where the tasks run (default: here, on every core)
        # threads = 8                        # tasks scanned at once here (default: number of cores)
        # lambda = "crawlgrep"               # run on this AWS Lambda function instead (default: run here)
        # concurrency = 500                  # Lambda: invocations at once (default: what the function and account allow, at most 1000)
        # results = "s3://my-bucket/crawlgrep/"   # Lambda: where workers write large partial results (default: none)
        # max_cost = 25.0                    # Lambda: stop a run before it costs more dollars than this (default: no limit)
        # memory = 1769                      # Lambda: the function's memory in MB, for the cost estimate (default: the function's, else 1769)
        # endpoint = "http://127.0.0.1:9001" # Lambda: the API endpoint, e.g. an emulator (default: AWS's)

        # [output]                           # where the hits go
        # database = "crawlgrep.duckdb"      # the result database, beside this file (default: crawlgrep.duckdb)
        # parquet = "exports/{job}-{crawl}.parquet"   # also a Parquet file per run; {job}, {crawl}, {run} are filled in (default: none)

        [schedule]                           # when job tick looks for new crawls or runs the paths (default: every tick; paths by hand)
        cron = "0 6 * * *"                   # five cron fields (minute hour day month weekday), or six with seconds first
        # timezone = "UTC"                   # the zone the cron times are in, an IANA name (default: UTC)

        """;
}
