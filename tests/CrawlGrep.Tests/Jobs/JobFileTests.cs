using System.Text;
using System.Text.RegularExpressions;
using CrawlGrep.Core.Jobs;
using CrawlGrep.Core.Planning;
using CrawlGrep.Tests.EndToEnd;

namespace CrawlGrep.Tests.Jobs;

public sealed class JobFileTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Writes <paramref name="text"/> as a job file in the scratch folder and reads it.</summary>
    private JobDefinition Read(string text, string name = "job.toml")
    {
        string path = _dir.File(name);
        File.WriteAllText(path, text);
        return JobFile.Read(path);
    }

    private static string Lines(params string[] lines) => string.Join("\n", lines) + "\n";

    private const string FullFile = """
        # Trackers on Norwegian pages.
        name = "trackers"
        patterns = ['googletagmanager\.com', 'connect\.facebook\.net']
        pattern_files = ["lists/words.txt"]
        fixed_strings = true
        ignore_case = true
        word = true
        max_count = 100

        [filters]
        types = ["response", "resource"]
        mime = ["text/html", "text/*"]
        url = '\.no/'

        [input]
        crawl = "each-new"
        since = "CC-MAIN-2024-33"
        type = "wet"
        segment = "1722640353668.0"
        sample = 20
        seed = -7
        files = 10
        collinfo = "catalog/collinfo.json"
        cc_root = "s3://commoncrawl/"

        [executor]
        threads = 8
        lambda = "crawlgrep"
        concurrency = 500
        results = "s3://my-bucket/crawlgrep/"
        max_cost = 25
        memory = 1769
        endpoint = "http://127.0.0.1:9001"

        [output]
        database = "db/trackers.duckdb"
        parquet = "exports/{job}-{crawl}-{run}.parquet"

        [schedule]
        cron = "0 6 * * *"
        timezone = "Europe/Oslo"
        """;

    [Fact]
    public void A_full_file_reads_into_every_field_with_paths_taken_from_its_folder()
    {
        Directory.CreateDirectory(_dir.File("lists"));
        File.WriteAllText(_dir.File("lists/words.txt"), "alpha\r\n\r\nbeta\n\n");
        var job = Read(FullFile);

        Assert.Equal("trackers", job.Name);
        Assert.Equal(_dir.File("job.toml"), job.File);
        Assert.Equal([@"googletagmanager\.com", @"connect\.facebook\.net", "alpha", "beta"], job.Spec.Patterns.Items);
        Assert.True(job.Spec.Patterns.FixedStrings);
        Assert.True(job.Spec.Patterns.IgnoreCase);
        Assert.True(job.Spec.Patterns.WordRegexp);
        Assert.Equal(100, job.Spec.Limits.MaxLinesPerFile);
        Assert.Equal(["response", "resource"], job.Spec.Filters.Types!);
        Assert.Equal(["text/html", "text/*"], job.Spec.Filters.Mime!);
        Assert.Equal(@"\.no/", job.Spec.Filters.Url);

        Assert.Null(job.Input.Paths);
        var crawl = job.Input.Crawl!;
        Assert.Equal(JobCrawlMode.EachNew, crawl.Mode);
        Assert.Empty(crawl.Ids);
        Assert.Equal("CC-MAIN-2024-33", crawl.Since);
        Assert.Equal(CrawlFileType.Wet, crawl.Type);
        Assert.Equal("1722640353668.0", crawl.Segment);
        Assert.Equal(20, crawl.Sample);
        Assert.Equal(-7, crawl.Seed);
        Assert.Equal(10, crawl.Files);
        Assert.Equal(_dir.File("catalog/collinfo.json"), crawl.Collinfo);
        Assert.Equal("s3://commoncrawl/", crawl.CcRoot);

        Assert.Equal(new JobExecutor
        {
            Threads = 8, Lambda = "crawlgrep", Concurrency = 500, Results = "s3://my-bucket/crawlgrep/", MaxCost = 25.0, MemoryMb = 1769,
            Endpoint = "http://127.0.0.1:9001",
        }, job.Executor);
        Assert.Equal(_dir.File("db/trackers.duckdb"), job.Database);
        Assert.Equal(_dir.File("exports/{job}-{crawl}-{run}.parquet"), job.ParquetTemplate);
        Assert.Equal(new JobSchedule("0 6 * * *", "Europe/Oslo"), job.Schedule);

        Assert.Matches("^[0-9a-f]{16}$", job.Version);
        Assert.Matches("^[0-9a-f]{16}$", job.ContentHash);
        Assert.Equal(FullFile, job.Text);
        Assert.Equal(2, job.LineOf("name"));
        Assert.Equal(3, job.LineOf("patterns"));
        Assert.Equal(4, job.LineOf("pattern_files"));
        Assert.Equal(13, job.LineOf("filters.url"));
        Assert.Equal(15, job.LineOf("input"));
        Assert.Equal(16, job.LineOf("input.crawl"));
        Assert.Equal(17, job.LineOf("input.since"));
        Assert.Equal(28, job.LineOf("executor.lambda"));
        Assert.Equal(40, job.LineOf("schedule.cron"));
        Assert.Equal(1, job.LineOf("no.such.key"));
    }

    [Fact]
    public void A_small_file_takes_the_defaults()
    {
        var job = Read(Lines("name = \"t\"", "patterns = [\"x\"]", "[input]", "crawl = \"latest\""));
        Assert.Equal(JobCrawlMode.Latest, job.Input.Crawl!.Mode);
        Assert.Equal(CrawlFileType.Warc, job.Input.Crawl.Type);
        Assert.Null(job.Input.Crawl.Sample);
        Assert.Equal(0, job.Input.Crawl.Seed);
        Assert.Null(job.Input.Crawl.Collinfo);
        Assert.False(job.Spec.Patterns.IgnoreCase);
        Assert.Null(job.Spec.Filters.Types);
        Assert.Null(job.Spec.Limits.MaxLinesPerFile);
        Assert.Equal(new JobExecutor(), job.Executor);
        Assert.Equal(_dir.File("crawlgrep.duckdb"), job.Database);
        Assert.Null(job.ParquetTemplate);
        Assert.Null(job.Schedule);
    }

    [Fact]
    public void Crawls_are_named_one_by_one_or_as_a_list_and_paths_resolve_unless_urls()
    {
        var one = Read(Lines("name = \"t\"", "patterns = [\"x\"]", "[input]", "crawl = \"2024-33\""));
        Assert.Equal(JobCrawlMode.Named, one.Input.Crawl!.Mode);
        Assert.Equal(["2024-33"], one.Input.Crawl.Ids);

        var list = Read(Lines("name = \"t\"", "patterns = [\"x\"]", "[input]", "crawl = [\"CC-MAIN-2024-33\", \"CC-MAIN-2024-38\"]", "type = \"wat\""));
        Assert.Equal(JobCrawlMode.Named, list.Input.Crawl!.Mode);
        Assert.Equal(["CC-MAIN-2024-33", "CC-MAIN-2024-38"], list.Input.Crawl.Ids);
        // As on the command line, WAT files are scanned for their metadata records.
        Assert.Equal(["metadata"], list.Spec.Filters.Types!);

        var paths = Read(Lines("name = \"t\"", "patterns = [\"x\"]", "[input]",
            "paths = [\"archives/\", \"s3://bucket/key.warc.gz\", \"https://example.org/a.warc.gz\"]"));
        Assert.Null(paths.Input.Crawl);
        Assert.Equal([_dir.File("archives/"), "s3://bucket/key.warc.gz", "https://example.org/a.warc.gz"], paths.Input.Paths!);
    }

    [Fact]
    public void Inline_tables_and_dotted_keys_say_what_a_table_says()
    {
        var table = Read(Lines("name = \"t\"", "patterns = [\"x\"]", "[input]", "crawl = \"latest\"", "sample = 3"));
        var inline = Read(Lines("name = \"t\"", "patterns = [\"x\"]", "input = { crawl = \"latest\", sample = 3 }"));
        var dotted = Read(Lines("name = \"t\"", "patterns = [\"x\"]", "input.crawl = \"latest\"", "input.sample = 3"));
        foreach (var job in new[] { inline, dotted })
        {
            Assert.Equal(JobCrawlMode.Latest, job.Input.Crawl!.Mode);
            Assert.Equal(3, job.Input.Crawl.Sample);
            Assert.Equal(table.Version, job.Version);
        }
        Assert.Equal(3, dotted.LineOf("input.crawl"));
    }

    [Fact]
    public void A_job_file_that_is_missing_is_an_error_at_line_1()
    {
        string path = _dir.File("absent.toml");
        var e = Assert.Throws<JobFileException>(() => JobFile.Read(path));
        Assert.Equal(path, e.File);
        Assert.Equal(1, e.Line);
        Assert.StartsWith($"{path}:1: ", e.Message);
        Assert.Contains("no such job file", e.Message);
    }

    [Fact]
    public void A_byte_order_mark_is_not_part_of_the_text_but_is_of_the_content_hash()
    {
        string text = Lines("name = \"t\"", "patterns = [\"x\"]", "[input]", "crawl = \"latest\"");
        File.WriteAllText(_dir.File("plain.toml"), text, new UTF8Encoding(false));
        File.WriteAllText(_dir.File("bom.toml"), text, new UTF8Encoding(true));
        var plain = JobFile.Read(_dir.File("plain.toml"));
        var bom = JobFile.Read(_dir.File("bom.toml"));
        Assert.Equal(text, bom.Text);
        Assert.Equal(plain.Version, bom.Version);
        Assert.NotEqual(plain.ContentHash, bom.ContentHash);
        Assert.Equal(plain.ContentHash, JobFile.Parse(text, _dir.File("plain.toml")).ContentHash);
    }

    private const string Head = "name = \"t\"\npatterns = [\"x\"]\n";
    private const string Input = "[input]\ncrawl = \"latest\"\n";

    public static TheoryData<string, int, string> BadFiles => new()
    {
        // Syntax, keys and tables.
        { "name = \"t\"\npatterns = [\"x\",, ]\n" + Input, 2, "not valid TOML" },
        { "name = \"t\nvalue\"\n", 1, "not valid TOML" },
        { Head + "colour = 1\n" + Input, 3, "unknown key 'colour' in the top level; allowed keys: name, patterns, pattern_files" },
        { "name = \"t\"\npatern = [\"x\"]\n" + Input, 2, "unknown key 'patern' in the top level (did you mean 'patterns'?)" },
        { Head + Input + "smaple = 3\n", 5, "unknown key 'smaple' in [input] (did you mean 'sample'?)" },
        { Head + "crawl = \"latest\"\n", 3, "unknown key 'crawl' in the top level (it belongs in [input])" },
        { Head + Input + "\n[filter]\ntypes = [\"response\"]\n", 6, "unknown table [filter] (tables: [filters], [input]" },
        { Head + Input + "[filter]\n", 5, "did you mean [filters]?" },
        { Head + Input + "[input.extra]\nx = 1\n", 5, "unknown table [input.extra]" },
        { Head + Input + "[[schedule]]\ncron = \"0 6 * * *\"\n", 5, "no arrays of tables" },
        { Head + "filter.url = 'x'\n" + Input, 3, "unknown table 'filter'" },
        { Head + "name = \"u\"\n" + Input, 3, "not valid TOML" },
        { Head + Input + "[input]\nsample = 3\n", 5, "not valid TOML" },
        { Head + "input = { crawl = \"latest\" }\n[input]\nsample = 3\n", 4, "not valid TOML" },
        { Head + "input = \"latest\"\n", 3, "'input' must be a table ([input]), not a string" },
        // Kinds of values.
        { Head + "ignore_case = \"yes\"\n" + Input, 3, "'ignore_case' must be true or false, not a string" },
        { Head + "max_count = 1.5\n" + Input, 3, "'max_count' must be an integer, not a float" },
        { "name = \"t\"\npatterns = 'x'\n" + Input, 2, "'patterns' must be an array of strings" },
        { "name = \"t\"\npatterns = [\n  \"x\",\n  2,\n]\n" + Input, 4, "'patterns' must hold only strings, not an integer" },
        { "name = 7\npatterns = [\"x\"]\n" + Input, 1, "'name' must be a string, not an integer" },
        { Head + Input + "sample = \"ten\"\n", 5, "'sample' must be an integer, not a string" },
        { Head + Input + "[executor]\nlambda = \"f\"\nmax_cost = \"lots\"\n", 7, "'max_cost' must be a number, not a string" },
        { Head + Input + "sample = 3000000000\n", 5, "'sample' must be at most 2147483647" },
        // Values.
        { "name = \"a b\"\npatterns = [\"x\"]\n" + Input, 1, "name 'a b' may hold only letters, digits" },
        { "patterns = [\"x\"]\n" + Input, 1, "no name" },
        { "name = \"t\"\n" + Input, 1, "no patterns: give patterns = [...] or pattern_files = [...]" },
        { "name = \"t\"\npatterns = []\n" + Input, 2, "no patterns: give patterns = [...] or pattern_files = [...]" },
        { "name = \"t\"\npatterns = [\"\"]\n" + Input, 2, "empty pattern" },
        { "name = \"t\"\npatterns = [\"x\"]\npattern_files = [\"nope.txt\"]\n" + Input, 3, "pattern file 'nope.txt' not found" },
        { Head, 1, "no input" },
        { Head + "[input]\ntype = \"wet\"\n", 3, "[input] needs crawl" },
        { Head + Input + "paths = [\"a/\"]\n", 5, "both crawl and paths" },
        { Head + "[input]\npaths = [\"a/\"]\nsample = 3\n", 5, "'sample' selects files of a crawl: it goes with crawl, not with paths" },
        { Head + "[input]\npaths = []\n", 4, "'paths' is empty" },
        { Head + "[input]\ncrawl = []\n", 4, "'crawl' is an empty list" },
        { Head + "[input]\ncrawl = [\"latest\"]\n", 4, "'latest' cannot be one of a list of crawls" },
        { Head + "[input]\ncrawl = 33\n", 4, "'crawl' must be a string or an array of strings, not an integer" },
        { Head + Input + "since = \"CC-MAIN-2024-33\"\n", 5, "'since' goes only with crawl = \"each-new\"" },
        { Head + Input + "type = \"arc\"\n", 5, "'type' must be \"warc\", \"wet\" or \"wat\", not \"arc\"" },
        { Head + Input + "type = \"1\"\n", 5, "'type' must be \"warc\"" },
        { Head + Input + "sample = 0\n", 5, "'sample' must be at least 1, not 0" },
        { Head + Input + "files = -1\n", 5, "'files' must be at least 1, not -1" },
        { Head + Input + "seed = 4\n", 5, "'seed' picks the files of a sample: give sample = N too" },
        { Head + Input + "segment = \"\"\n", 5, "'segment' is empty" },
        { Head + Input + "[filters]\ntypes = []\n", 6, "'types' is empty" },
        { Head + Input + "[filters]\ntypes = [\"response\", \"reponse\"]\n", 6, "'reponse' is not a WARC record type (warcinfo, request, response" },
        { Head + Input + "[executor]\nthreads = 0\n", 6, "'threads' must be at least 1, not 0" },
        { Head + Input + "[executor]\nconcurrency = 10\n", 6, "'concurrency' is for a Lambda run: give lambda = \"FUNCTION\" too" },
        { Head + Input + "[executor]\nlambda = \"f\"\nconcurrency = 0\n", 7, "'concurrency' must be at least 1, not 0" },
        { Head + Input + "[executor]\nlambda = \"f\"\nresults = \"https://bucket/x/\"\n", 7, "'results' must be an s3://BUCKET/PREFIX/ URL" },
        { Head + Input + "[executor]\nlambda = \"f\"\nresults = \"s3://\"\n", 7, "'results' must be an s3://BUCKET/PREFIX/ URL" },
        { Head + Input + "[executor]\nlambda = \"f\"\nmax_cost = 0\n", 7, "'max_cost' must be a number of dollars above 0" },
        { Head + Input + "[executor]\nlambda = \"f\"\nmemory = 64\n", 7, "'memory' must be 128 to 10240" },
        { Head + Input + "[executor]\nlambda = \"f\"\nendpoint = \"ftp://host/\"\n", 7, "'endpoint' must be an http:// or https:// URL" },
        { Head + Input + "[output]\nparquet = \"out/{job}-{date}.parquet\"\n", 6, "unknown placeholder {date} in 'parquet'" },
        { Head + Input + "[schedule]\ncron = \"61 * * * *\"\n", 6, "bad cron \"61 * * * *\"" },
        { Head + Input + "[schedule]\ncron = \"* * *\"\n", 6, "cron \"* * *\" has 3 fields: give five" },
        { Head + Input + "[schedule]\ncron = \"0 6 * * *\"\ntimezone = \"Mars/Olympus_Mons\"\n", 7, "unknown time zone \"Mars/Olympus_Mons\"" },
        { Head + Input + "[schedule]\ntimezone = \"UTC\"\n", 5, "[schedule] needs cron" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void A_bad_file_is_an_error_naming_its_line_and_what_was_expected(string text, int line, string fragment)
    {
        string path = _dir.File("bad.toml");
        File.WriteAllText(path, text);
        var e = Assert.Throws<JobFileException>(() => JobFile.Read(path));
        Assert.StartsWith($"{path}:{line}: ", e.Message);
        Assert.Equal(line, e.Line);
        Assert.Contains(fragment, e.Problem);
    }

    [Fact]
    public void The_cron_reasons_come_from_the_cron_parser_and_six_fields_take_seconds()
    {
        var e = Assert.Throws<JobFileException>(() => Read(Head + Input + "[schedule]\ncron = \"0 61 * * *\"\n"));
        Assert.Matches("bad cron \"0 61 \\* \\* \\*\": .+", e.Problem);
        Assert.Equal("30 0 6 * * *", Read(Head + Input + "[schedule]\ncron = \"30 0 6 * * *\"\n").Schedule!.Cron);
        Assert.Equal("@daily", Read(Head + Input + "[schedule]\ncron = \"@daily\"\n").Schedule!.Cron);
    }

    private const string Question = """
        name = "q"
        patterns = ['a\d+', "b"]
        ignore_case = true
        [filters]
        mime = ["text/html"]
        [input]
        crawl = "each-new"
        type = "wet"
        sample = 5
        """;

    [Fact]
    public void The_version_ignores_what_does_not_change_the_hits()
    {
        string version = JobFile.Parse(Question, _dir.File("q.toml")).Version;
        string[] same =
        [
            // Comments, whitespace and layout.
            "# A comment.\n" + Question.Replace("ignore_case = true", "ignore_case   =   true   # -i") + "\n\n",
            // Another name, crawl mode, executor, output and schedule.
            Question.Replace("name = \"q\"", "name = \"other\""),
            Question.Replace("crawl = \"each-new\"", "crawl = \"latest\""),
            Question.Replace("crawl = \"each-new\"", "crawl = \"each-new\"\nsince = \"CC-MAIN-2024-33\""),
            Question.Replace("crawl = \"each-new\"", "crawl = [\"CC-MAIN-2024-33\"]"),
            Question + "\n[executor]\nthreads = 2\nlambda = \"f\"\nmax_cost = 3.5\n",
            Question + "\n[output]\ndatabase = \"x.duckdb\"\nparquet = \"{job}.parquet\"\n",
            Question + "\n[schedule]\ncron = \"0 6 * * *\"\ntimezone = \"Europe/Oslo\"\n",
            // The same values spelt another way.
            Question.Replace("mime = [\"text/html\"]", "mime = ['text/html']"),
        ];
        foreach (string text in same)
            Assert.Equal(version, JobFile.Parse(text, _dir.File("q.toml")).Version);
    }

    [Fact]
    public void The_version_changes_with_the_question()
    {
        string version = JobFile.Parse(Question, _dir.File("q.toml")).Version;
        string[] different =
        [
            Question.Replace("'a\\d+'", "'a\\d*'"),
            Question.Replace("patterns = ['a\\d+', \"b\"]", "patterns = [\"b\", 'a\\d+']"),
            Question.Replace("ignore_case = true", "ignore_case = false"),
            Question.Replace("ignore_case = true", "ignore_case = true\nword = true"),
            Question.Replace("ignore_case = true", "ignore_case = true\nfixed_strings = true"),
            Question.Replace("ignore_case = true", "ignore_case = true\nmax_count = 3"),
            Question.Replace("mime = [\"text/html\"]", "mime = [\"text/*\"]"),
            Question.Replace("mime = [\"text/html\"]", "mime = [\"text/html\"]\nurl = 'x'"),
            Question.Replace("mime = [\"text/html\"]", "types = [\"response\"]"),
            Question.Replace("type = \"wet\"", "type = \"warc\""),
            Question.Replace("sample = 5", "sample = 6"),
            Question.Replace("sample = 5", "sample = 5\nseed = 2"),
            Question.Replace("sample = 5", "sample = 5\nfiles = 2"),
            Question.Replace("sample = 5", "sample = 5\nsegment = \"1.0\""),
        ];
        var versions = different.Select(t => JobFile.Parse(t, _dir.File("q.toml")).Version).Prepend(version).ToList();
        Assert.Equal(versions.Count, versions.Distinct().Count());
    }

    [Fact]
    public void The_version_follows_pattern_file_content_and_sorted_paths()
    {
        string text = Lines("name = \"t\"", "pattern_files = [\"words.txt\"]", "[input]", "paths = [\"b/\", \"a/\"]");
        File.WriteAllText(_dir.File("words.txt"), "one\ntwo\n");
        var first = JobFile.Read(WriteJob(text));
        Assert.Equal(first.Version, JobFile.Read(WriteJob(text.Replace("[\"b/\", \"a/\"]", "[\"a/\", \"b/\"]"))).Version);
        // Blank lines and \r in a pattern file change no pattern.
        File.WriteAllText(_dir.File("words.txt"), "one\r\n\r\ntwo");
        var same = JobFile.Read(WriteJob(text));
        Assert.Equal(first.Version, same.Version);
        Assert.Equal(first.ContentHash, same.ContentHash);
        File.WriteAllText(_dir.File("words.txt"), "one\ntwo\nthree\n");
        var changed = JobFile.Read(WriteJob(text));
        Assert.NotEqual(first.Version, changed.Version);
        // The job file's own bytes are the same: only its question changed.
        Assert.Equal(first.ContentHash, changed.ContentHash);
        Assert.NotEqual(first.Version, JobFile.Read(WriteJob(text.Replace("\"a/\"]", "\"c/\"]"))).Version);
    }

    [Fact]
    public void The_content_hash_follows_the_bytes()
    {
        var a = JobFile.Parse(Question, _dir.File("q.toml"));
        var b = JobFile.Parse(Question + "# one more comment\n", _dir.File("q.toml"));
        Assert.Equal(a.Version, b.Version);
        Assert.NotEqual(a.ContentHash, b.ContentHash);
        Assert.Equal(a.ContentHash, JobFile.Parse(Question, _dir.File("q.toml")).ContentHash);
    }

    [Fact]
    public void The_template_is_a_valid_job_with_its_name()
    {
        string text = JobTemplate.For("x");
        var job = JobFile.Parse(text, _dir.File("x.toml"));
        Assert.Equal("x", job.Name);
        Assert.Equal(JobCrawlMode.EachNew, job.Input.Crawl!.Mode);
        Assert.Equal(CrawlFileType.Wet, job.Input.Crawl.Type);
        Assert.Equal(10, job.Input.Crawl.Sample);
        Assert.Equal(1, job.Input.Crawl.Seed);
        Assert.NotEmpty(job.Spec.Patterns.Items);
        Assert.Equal(new JobSchedule("0 6 * * *", "UTC"), job.Schedule);
        Assert.Equal(new JobExecutor(), job.Executor);
        Assert.Equal(_dir.File("crawlgrep.duckdb"), job.Database);
        // Stable: another name, or another day, is the same question.
        Assert.Equal(job.Version, JobFile.Parse(JobTemplate.For("y"), _dir.File("y.toml")).Version);
        Assert.Equal(job.Version, JobFile.Parse(JobTemplate.For("x"), _dir.File("x.toml")).Version);
    }

    [Fact]
    public void The_template_with_every_key_uncommented_is_still_valid()
    {
        // Uncommenting a key of the template must never make an unknown key or a bad value (paths is instead of crawl).
        var lines = JobTemplate.For("x").Split('\n')
            .Select(l => Regex.IsMatch(l, @"^# (\[[a-z]+\]|[a-z_]+ = )") && !l.StartsWith("# paths") ? l[2..] : l);
        File.WriteAllText(_dir.File("patterns.txt"), "more\n");
        var job = JobFile.Parse(string.Join('\n', lines), _dir.File("x.toml"));
        Assert.Equal(["response"], job.Spec.Filters.Types!);
        Assert.Equal("crawlgrep", job.Executor.Lambda);
        Assert.Equal("UTC", job.Schedule!.TimeZone);
        Assert.Equal("more", job.Spec.Patterns.Items[^1]);
    }

    private string WriteJob(string text)
    {
        string path = _dir.File("job.toml");
        File.WriteAllText(path, text);
        return path;
    }
}
