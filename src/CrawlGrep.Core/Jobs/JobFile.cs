using System.Text;
using System.Text.RegularExpressions;
using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Scanning;
using CrawlGrep.Core.Sources;
using Cronos;
using Tomlyn.Syntax;

namespace CrawlGrep.Core.Jobs;

/// <summary>
/// Reads a job file (TOML) into a <see cref="JobDefinition"/>. Every mistake is a <see cref="JobFileException"/>
/// naming the file, the line and what was expected.
/// </summary>
/// <remarks>
/// The format (keys are snake_case; see <see cref="JobTemplate"/> for a commented example):
/// <code>
/// name = "trackers"                  # required: letters, digits, '-', '_', '.'; names the job in the database
/// patterns = ['googletagmanager\.com', 'connect\.facebook\.net']   # at least one here or in pattern_files
/// pattern_files = ["words.txt"]      # optional: one pattern per line (blank lines ignored), after `patterns`
/// fixed_strings = false              # -F
/// ignore_case = false                # -i
/// word = false                       # -w
/// max_count = 100                    # -m (optional, >= 1)
///
/// [filters]                          # optional
/// types = ["response"]               # WARC record types
/// mime = ["text/html"]               # content-type globs
/// url = '\.no/'                      # target URI regex
///
/// [input]                            # required: crawl or paths
/// crawl = "each-new"                 # "latest", "each-new", a crawl id or year-week ("CC-MAIN-2024-33", "2024-33"), or a list of ids
/// since = "CC-MAIN-2024-33"          # only with each-new: the first crawl covered
/// type = "warc"                      # warc, wet or wat (default warc)
/// segment = "1722640353668.0"        # only this segment's files
/// sample = 20                        # a random sample of N files, fixed by seed
/// seed = 1                           # only with sample (default 0)
/// files = 10                         # only the first N files
/// collinfo = "https://index.commoncrawl.org/collinfo.json"   # the crawl list, URL or path
/// cc_root = "s3://commoncrawl/"      # where crawl-data/ lives, URL or path
/// # paths = ["archives/", "s3://bucket/key.warc.gz"]        # instead of crawl (then none of the keys above)
///
/// [executor]                         # optional; default: local, every core
/// threads = 8                        # local tasks at once (>= 1)
/// lambda = "crawlgrep"               # run on this AWS Lambda function; the keys below need it
/// concurrency = 500                  # >= 1
/// results = "s3://my-bucket/crawlgrep/"
/// max_cost = 25.0                    # dollars per run, > 0
/// memory = 1769                      # MB, 128 to 10240
/// endpoint = "http://127.0.0.1:9001" # an http(s) URL
///
/// [output]                           # optional
/// database = "trackers.duckdb"       # default crawlgrep.duckdb beside the job file
/// parquet = "exports/{job}-{crawl}.parquet"   # {job}, {crawl} and {run} are filled in; no other {x}
///
/// [schedule]                         # optional
/// cron = "0 6 * * *"                 # five fields, or six with seconds first
/// timezone = "UTC"                   # an IANA time zone (default UTC)
/// </code>
/// Relative paths (pattern_files, paths that are not s3:// or http(s):// URLs, collinfo, cc_root, database, parquet)
/// are taken from the job file's folder, so a job runs the same from any working directory. Tables may also be
/// written inline (<c>input = { crawl = "latest" }</c>) or as dotted keys (<c>input.crawl = "latest"</c>).
/// Not checked here: the regexes (the caller compiles them with the engine's own matcher and reports at
/// <c>LineOf("patterns")</c>) and whether named crawls exist (that needs the crawl list).
/// </remarks>
public static class JobFile
{
    private static readonly Regex NamePattern = new("^[A-Za-z0-9._-]+$", RegexOptions.CultureInvariant);
    private static readonly Regex Placeholder = new(@"\{([^{}]*)\}", RegexOptions.CultureInvariant);
    private static readonly string[] Placeholders = ["job", "crawl", "run"];
    private static readonly string[] CrawlOnlyKeys = ["since", "type", "segment", "sample", "seed", "files", "collinfo", "cc_root"];
    private static readonly string[] LambdaOnlyKeys = ["concurrency", "results", "max_cost", "memory", "endpoint"];

    /// <summary>The crawl selections that are not crawl ids.</summary>
    public const string Latest = "latest", EachNew = "each-new";

    /// <summary>Reads and checks the job file at <paramref name="path"/>.</summary>
    public static JobDefinition Read(string path)
    {
        byte[] bytes;
        try { bytes = System.IO.File.ReadAllBytes(path); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new JobFileException(path, 1, "no such job file");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new JobFileException(path, 1, $"the job file cannot be read: {e.Message}");
        }
        return Parse(Decode(bytes), path, bytes);
    }

    /// <summary>Checks the job file text <paramref name="text"/>, read from <paramref name="path"/> (which relative paths in it are taken from).</summary>
    public static JobDefinition Parse(string text, string path) => Parse(text, path, Encoding.UTF8.GetBytes(text));

    private static JobDefinition Parse(string text, string path, byte[] bytes)
    {
        var entries = JobFileEntries.Parse(text, path);
        var job = new Builder(entries, path);
        string name = job.Name();
        var spec = job.Spec(out var input);
        return new JobDefinition
        {
            Name = name,
            File = Path.GetFullPath(path),
            Spec = spec,
            Input = input,
            Executor = job.Executor(),
            Database = job.OptionalPath("output.database") ?? Path.Combine(job.Folder, "crawlgrep.duckdb"),
            ParquetTemplate = job.Parquet(),
            Schedule = job.Schedule(),
            Version = JobVersion.Of(spec, input),
            ContentHash = JobVersion.Hash(bytes),
            Text = text,
            Lines = entries.Lines,
        };
    }

    /// <summary>UTF-8, without a byte order mark if there is one.</summary>
    private static string Decode(byte[] bytes)
    {
        var preamble = Encoding.UTF8.Preamble;
        int skip = bytes.AsSpan().StartsWith(preamble) ? preamble.Length : 0;
        return Encoding.UTF8.GetString(bytes, skip, bytes.Length - skip);
    }

    /// <summary>Whether <paramref name="path"/> is a URL rather than a local path (and so is kept as it is).</summary>
    private static bool IsUrl(string path) =>
        path.StartsWith("s3://", StringComparison.OrdinalIgnoreCase) || path.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
        || path.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Turns the checked keys into the parts of a definition; each part reports its own mistakes.</summary>
    private sealed class Builder(JobFileEntries entries, string file)
    {
        /// <summary>The job file's folder, which relative paths are taken from.</summary>
        public string Folder { get; } = Path.GetDirectoryName(Path.GetFullPath(file)) ?? Directory.GetCurrentDirectory();

        public string Name()
        {
            if (String("name") is not { } name)
                throw Error(1, "no name: give name = \"...\" (letters, digits, '-', '_', '.'), which names the job in the database");
            if (!NamePattern.IsMatch(name))
                throw Error(Line("name"), $"name '{name}' may hold only letters, digits, '-', '_' and '.'");
            return name;
        }

        public ScanSpec Spec(out JobInput input)
        {
            var patterns = Patterns();
            input = Input();
            var types = NonEmptyStrings("filters.types");
            if (types is not null && RecordFilter.UnknownType(types) is { } unknown)
                throw Error(Line("filters.types"), $"'{unknown}' is not a WARC record type ({string.Join(", ", RecordFilter.KnownTypes)}; or all)");
            // As on the command line: WAT files hold metadata records, which a default scan leaves out.
            if (types is null && input.Crawl?.Type == CrawlFileType.Wat) types = ["metadata"];
            string? url = String("filters.url");
            if (url is "") throw Error(Line("filters.url"), "'url' is empty: give a regex, or leave the key out");
            return new ScanSpec
            {
                Patterns = new TaskPatterns
                {
                    Items = patterns, FixedStrings = Bool("fixed_strings"), IgnoreCase = Bool("ignore_case"), WordRegexp = Bool("word"),
                },
                Filters = new TaskFilters { Types = types, Mime = NonEmptyStrings("filters.mime"), Url = url },
                Limits = new TaskLimits { MaxLinesPerFile = Integer("max_count", 1, long.MaxValue) },
            };
        }

        /// <summary>The inline patterns, then each pattern file's lines, read as <c>-f</c> reads them.</summary>
        private List<string> Patterns()
        {
            var patterns = new List<string>();
            foreach (var (pattern, line) in Strings("patterns") ?? [])
            {
                if (pattern.Length == 0) throw Error(line, "'patterns' holds an empty pattern, which would match every line");
                patterns.Add(pattern);
            }
            foreach (var (name, line) in Strings("pattern_files") ?? [])
            {
                if (name.Length == 0) throw Error(line, "'pattern_files' holds an empty file name");
                string full = Resolve(name);
                try { patterns.AddRange(System.IO.File.ReadAllLines(full).Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0)); }
                catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
                {
                    throw Error(line, $"pattern file '{name}' not found (looked for {full})");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw Error(line, $"pattern file '{name}' cannot be read: {e.Message}");
                }
            }
            if (patterns.Count == 0)
            {
                int line = entries.Has("pattern_files") ? Line("pattern_files") : entries.Has("patterns") ? Line("patterns") : 1;
                throw Error(line, "no patterns: give patterns = [...] or pattern_files = [...]");
            }
            return patterns;
        }

        private JobInput Input()
        {
            if (!entries.HasTable("input"))
                throw Error(1, "no input: add an [input] table with crawl = \"each-new\" (or \"latest\", or crawl ids) or paths = [...]");
            bool hasCrawl = entries.Has("input.crawl"), hasPaths = entries.Has("input.paths");
            if (!hasCrawl && !hasPaths)
                throw Error(entries.TableLine("input"), "[input] needs crawl = \"...\" (\"latest\", \"each-new\" or crawl ids) or paths = [...]");
            if (hasCrawl && hasPaths)
                throw Error(Math.Max(Line("input.crawl"), Line("input.paths")), "[input] has both crawl and paths: give one of them");
            if (hasPaths)
            {
                foreach (string key in CrawlOnlyKeys)
                    if (entries.Has($"input.{key}"))
                        throw Error(Line($"input.{key}"), $"'{key}' selects files of a crawl: it goes with crawl, not with paths");
                var paths = new List<string>();
                foreach (var (p, line) in Strings("input.paths")!)
                {
                    if (p.Length == 0) throw Error(line, "'paths' holds an empty path");
                    paths.Add(IsUrl(p) ? p : Resolve(p));
                }
                if (paths.Count == 0) throw Error(Line("input.paths"), "'paths' is empty: name archives, folders or URLs");
                return new JobInput { Paths = paths };
            }
            return new JobInput { Crawl = Crawls() };
        }

        private JobCrawls Crawls()
        {
            var crawl = entries["input.crawl"]!;
            JobCrawlMode mode;
            var ids = new List<string>();
            if (crawl.Value is StringValueSyntax one)
            {
                string id = one.Value ?? "";
                if (id.Length == 0) throw Error(crawl.Line, "'crawl' is empty: give \"latest\", \"each-new\" or a crawl id such as \"CC-MAIN-2024-33\"");
                mode = id == Latest ? JobCrawlMode.Latest : id == EachNew ? JobCrawlMode.EachNew : JobCrawlMode.Named;
                if (mode == JobCrawlMode.Named) ids.Add(id);
            }
            else
            {
                mode = JobCrawlMode.Named;
                foreach (var (id, line) in Strings("input.crawl")!)
                {
                    if (id.Length == 0) throw Error(line, "'crawl' holds an empty crawl id");
                    if (id is Latest or EachNew) throw Error(line, $"'{id}' cannot be one of a list of crawls: give crawl = \"{id}\" alone");
                    ids.Add(id);
                }
                if (ids.Count == 0) throw Error(crawl.Line, "'crawl' is an empty list: name at least one crawl id");
            }
            string? since = NonEmptyString("input.since");
            if (since is not null && mode != JobCrawlMode.EachNew)
                throw Error(Line("input.since"), "'since' goes only with crawl = \"each-new\"");

            var type = CrawlFileType.Warc;
            if (NonEmptyString("input.type") is { } typeName)
            {
                // Only the three names: Enum.TryParse would also take "1".
                type = typeName.ToLowerInvariant() switch
                {
                    "warc" => CrawlFileType.Warc,
                    "wet" => CrawlFileType.Wet,
                    "wat" => CrawlFileType.Wat,
                    _ => throw Error(Line("input.type"), $"'type' must be \"warc\", \"wet\" or \"wat\", not \"{typeName}\""),
                };
            }
            int? sample = (int?)Integer("input.sample", 1, int.MaxValue);
            long? seed = Integer("input.seed", long.MinValue, long.MaxValue);
            if (seed is not null && sample is null)
                throw Error(Line("input.seed"), "'seed' picks the files of a sample: give sample = N too");
            return new JobCrawls
            {
                Mode = mode,
                Ids = ids,
                Since = since,
                Type = type,
                Segment = NonEmptyString("input.segment"),
                Sample = sample,
                Seed = seed ?? 0,
                Files = (int?)Integer("input.files", 1, int.MaxValue),
                Collinfo = OptionalPath("input.collinfo"),
                CcRoot = OptionalPath("input.cc_root"),
            };
        }

        public JobExecutor Executor()
        {
            string? lambda = NonEmptyString("executor.lambda");
            if (lambda is null)
                foreach (string key in LambdaOnlyKeys)
                    if (entries.Has($"executor.{key}"))
                        throw Error(Line($"executor.{key}"), $"'{key}' is for a Lambda run: give lambda = \"FUNCTION\" too");
            string? results = String("executor.results");
            if (results is not null && !S3Provider.NamesBucket(results))
                throw Error(Line("executor.results"), $"'results' must be an s3://BUCKET/PREFIX/ URL, not \"{results}\"");
            double? maxCost = Number("executor.max_cost");
            if (maxCost is not null && !(maxCost > 0 && double.IsFinite(maxCost.Value)))
                throw Error(Line("executor.max_cost"), $"'max_cost' must be a number of dollars above 0, not {maxCost}");
            string? endpoint = String("executor.endpoint");
            if (endpoint is not null && (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
                throw Error(Line("executor.endpoint"), $"'endpoint' must be an http:// or https:// URL, not \"{endpoint}\"");
            return new JobExecutor
            {
                Threads = (int?)Integer("executor.threads", 1, int.MaxValue),
                Lambda = lambda,
                Concurrency = (int?)Integer("executor.concurrency", 1, int.MaxValue),
                Results = results,
                MaxCost = maxCost,
                MemoryMb = (int?)Integer("executor.memory", 128, 10_240, "128 to 10240 (MB, what Lambda allows)"),
                Endpoint = endpoint,
            };
        }

        public string? Parquet()
        {
            if (NonEmptyString("output.parquet") is not { } template) return null;
            foreach (Match m in Placeholder.Matches(template))
                if (!Placeholders.Contains(m.Groups[1].Value))
                    throw Error(Line("output.parquet"), $"unknown placeholder {m.Value} in 'parquet' (allowed: {{job}}, {{crawl}}, {{run}})");
            return Resolve(template);
        }

        public JobSchedule? Schedule()
        {
            if (!entries.HasTable("schedule")) return null;
            if (NonEmptyString("schedule.cron") is not { } cron)
                throw Error(entries.TableLine("schedule"), "[schedule] needs cron = \"...\" (e.g. \"0 6 * * *\": every day at 06:00)");
            int line = Line("schedule.cron");
            string[] fields = cron.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            CronFormat format;
            if (cron.TrimStart().StartsWith('@')) format = CronFormat.Standard; // @daily, @hourly...
            else if (fields.Length == 5) format = CronFormat.Standard;
            else if (fields.Length == 6) format = CronFormat.IncludeSeconds;
            else
                throw Error(line, $"cron \"{cron}\" has {fields.Length} field{(fields.Length == 1 ? "" : "s")}: give five (minute hour day-of-month month day-of-week), or six with seconds first");
            try { CronExpression.Parse(cron, format); }
            catch (CronFormatException e) { throw Error(line, $"bad cron \"{cron}\": {e.Message}"); }

            string zone = NonEmptyString("schedule.timezone") ?? JobSchedule.DefaultTimeZone;
            try { TimeZoneInfo.FindSystemTimeZoneById(zone); }
            catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                throw Error(Line("schedule.timezone"), $"unknown time zone \"{zone}\" (give an IANA name such as \"UTC\" or \"Europe/Oslo\")");
            }
            return new JobSchedule(cron, zone);
        }

        /// <summary>A path key resolved against <see cref="Folder"/> (URLs kept as they are), or null when not given.</summary>
        public string? OptionalPath(string key) => NonEmptyString(key) is { } p ? IsUrl(p) ? p : Resolve(p) : null;

        private string Resolve(string path) => Path.GetFullPath(Path.Combine(Folder, path));

        private int Line(string key) => entries[key]?.Line ?? 1;

        // The readers below trust the kinds JobFileEntries has checked.

        private string? String(string key) => (entries[key]?.Value as StringValueSyntax)?.Value is { } s ? s : entries.Has(key) ? "" : null;

        private string? NonEmptyString(string key)
        {
            string? s = String(key);
            if (s is "") throw Error(Line(key), $"'{Short(key)}' is empty: give a value, or leave the key out");
            return s;
        }

        private bool Bool(string key) => (entries[key]?.Value as BooleanValueSyntax)?.Value ?? false;

        private double? Number(string key) => entries[key]?.Value switch
        {
            IntegerValueSyntax i => i.Value,
            FloatValueSyntax f => f.Value,
            _ => null,
        };

        private long? Integer(string key, long min, long max, string? range = null)
        {
            if (entries[key]?.Value is not IntegerValueSyntax i) return null;
            if (i.Value < min || i.Value > max)
            {
                // Bounds that only keep a value within its type are "at least"/"at most"; real ranges say both ends.
                string expected = range ?? (max is long.MaxValue or int.MaxValue ? (i.Value < min ? $"at least {min}" : $"at most {max}") : $"{min} to {max}");
                throw Error(Line(key), $"'{Short(key)}' must be {expected}, not {i.Value}");
            }
            return i.Value;
        }

        /// <summary>The strings of an array key with the line of each, or null when not given.</summary>
        private List<(string Value, int Line)>? Strings(string key)
        {
            if (entries[key]?.Value is not ArraySyntax array) return null;
            var values = new List<(string, int)>();
            foreach (var item in array.Items)
                if (item.Value is StringValueSyntax s) values.Add((s.Value ?? "", JobFileEntries.LineOf(s)));
            return values;
        }

        /// <summary>An array of non-empty strings, or null when not given; an empty array is a mistake (leave the key out).</summary>
        private List<string>? NonEmptyStrings(string key)
        {
            if (Strings(key) is not { } values) return null;
            if (values.Count == 0) throw Error(Line(key), $"'{Short(key)}' is empty: give at least one value, or leave the key out");
            foreach (var (value, line) in values)
                if (value.Length == 0) throw Error(line, $"'{Short(key)}' holds an empty string");
            return values.Select(v => v.Value).ToList();
        }

        private static string Short(string key) => key[(key.LastIndexOf('.') + 1)..];

        private JobFileException Error(int line, string problem) => new(file, line, problem);
    }
}
