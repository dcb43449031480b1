using System.CommandLine;
using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Planning.Index;
using CrawlGrep.Core.Results;
using CrawlGrep.Core.Scanning;
using CrawlGrep.Core.Sources;

namespace CrawlGrep.Cli.Commands;

/// <summary>What a scan is asked for on the command line: patterns, inputs, filters, limits. Read from the flags search and plan share.</summary>
internal sealed record ScanRequest(ScanSpec Spec, string? Db, IReadOnlyList<string> Patterns, IReadOnlyList<string> Positional,
    IReadOnlyList<string> Inputs, IReadOnlyList<string> Skipped, PlanOptions PlanOptions, SourceResolver Sources)
{
    /// <summary>The records an index chose (--where, --cdx): only they are read. Null: every record of the inputs.</summary>
    public IndexSelection? Selection { get; init; }

    /// <summary>--max-gap: the largest gap between selected records read across; null for the default.</summary>
    public long? MaxGap { get; init; }

    /// <summary>Cuts the scan into tasks: byte ranges of the inputs, or the index's records coalesced into reads.</summary>
    public PlanResult Plan(PlanOptions options) => Selection is { } selection
        ? RecordListPlanner.Plan(selection.Records, Spec, new RecordListOptions { Cores = options.Cores, GapLimit = MaxGap }, Sources.Open)
        : Planner.Plan(Inputs, Spec, options, Sources.Open);

    /// <summary>An index that selected nothing: grep's "no match" (exit 1) with one line saying so; null otherwise.</summary>
    public int? NothingSelected(string crawl)
    {
        if (Selection is not { Records.Count: 0 } empty) return null;
        Console.Error.WriteLine($"crawlgrep: {empty.Description}: no record of {crawl} selected");
        return ScanRun.ExitNoMatch;
    }

    /// <summary>Keeps the index columns asked for with the selected records, once the scan has its id.</summary>
    public Action<ResultStore, long>? KeepIndexColumns =>
        Selection is { KeptColumns.Count: > 0 } selection ? (store, scanId) => store.RecordIndexColumns(scanId, selection) : null;
}

/// <summary>The flags of <c>crawlgrep</c> and <c>crawlgrep plan</c> that say what to scan and how to cut it into tasks.</summary>
internal sealed class ScanFlags
{
    public readonly Argument<string[]> Args = new("PATTERN PATH") { Arity = ArgumentArity.ZeroOrMore, Description = "The pattern (unless -e or -f is given), then archives or folders to scan" };
    public readonly Option<string[]> Regexp = new("--regexp", "-e") { Description = "A pattern to search for (repeatable)", HelpName = "PATTERN", AllowMultipleArgumentsPerToken = false };
    public readonly Option<string[]> PatternFile = new("--file", "-f") { Description = "Read patterns from FILE, one per line (blank lines are ignored)", HelpName = "FILE" };
    public readonly Option<bool> Fixed = new("--fixed-strings", "-F") { Description = "Patterns are literal strings, not regexes" };
    public readonly Option<bool> IgnoreCase = new("--ignore-case", "-i") { Description = "Case-insensitive matching" };
    public readonly Option<bool> Word = new("--word-regexp", "-w") { Description = "Only match whole words" };
    public readonly Option<long?> MaxCount = new("--max-count", "-m") { Description = "Stop reading an input after NUM matching lines (a negative NUM: no limit)", HelpName = "NUM" };
    public readonly Option<string[]> Types = new("--type")
    {
        Description = "Record types to scan, comma-separated, or 'all' [default: response,resource,conversion]; with --crawl, also which files: warc (the default), wet or wat",
        HelpName = "TYPES",
    };
    public readonly Option<string?> Crawl = new("--crawl") { Description = "Scan a Common Crawl crawl: 'latest', an id (CC-MAIN-2024-33) or its year-week; see crawlgrep crawls", HelpName = "CRAWL" };
    public readonly CrawlFlags CrawlSelect = new();
    public readonly IndexFlags Index = new();
    public readonly Option<string[]> Mime = new("--mime") { Description = "Only records whose content type matches GLOB (e.g. 'text/*'; repeatable)", HelpName = "GLOB" };
    public readonly Option<string?> Url = new("--url") { Description = "Only records whose target URI matches REGEX", HelpName = "REGEX" };
    public readonly Option<string> Db = new("--db") { Description = "Result database", HelpName = "FILE", DefaultValueFactory = _ => ResultStore.DefaultPath };
    public readonly Option<bool> NoDb = new("--no-db") { Description = "Do not record the scan in a database" };
    public readonly Option<int> Threads = ThreadsOption();
    /// <summary>
    /// -j/--threads of every command that scans. Unset or 0: the number of cores, as ripgrep's -j 0 (no default value, so
    /// the help does not print this machine's count beside the description).
    /// </summary>
    public static Option<int> ThreadsOption()
    {
        var option = new Option<int>("--threads", "-j") { Description = "Tasks scanned at once [default: the number of cores]", HelpName = "N" };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0) r.AddError("--threads: N is 1 or more (0: the number of cores)");
        });
        return option;
    }

    /// <summary>The tasks to scan at once for a --threads value: 0 (unset) is the number of cores.</summary>
    public static int ThreadCount(int given) => given > 0 ? given : Environment.ProcessorCount;

    public readonly Option<long?> Split = new("--split")
    {
        Description = "Cut inputs into byte ranges of SIZE (e.g. 64M), scanned at once [default: about 4 per core, 16M-256M each]",
        HelpName = "SIZE",
        CustomParser = r => Sizes.ParseArgument(r, "--split"),
    };

    public readonly RemoteFlags Remote = new();

    public void AddTo(Command command)
    {
        Remote.AddTo(command);
        command.Options.Add(Crawl);
        CrawlSelect.AddTo(command);
        Index.AddTo(command);
        command.Arguments.Add(Args);
        foreach (Option o in new Option[] { Regexp, PatternFile, Fixed, IgnoreCase, Word, MaxCount, Types, Mime, Url, Db, NoDb, Threads, Split })
            command.Options.Add(o);
    }

    /// <summary>The request, or null with a one-line error.</summary>
    public ScanRequest? Read(ParseResult pr, out string? error)
    {
        error = null;
        // Patterns come from -e/-f; otherwise the first positional argument is the pattern.
        var positional = (pr.GetValue(Args) ?? []).ToList();
        var patterns = new List<string>(pr.GetValue(Regexp) ?? []);
        foreach (var f in pr.GetValue(PatternFile) ?? [])
        {
            try { patterns.AddRange(File.ReadAllLines(f).Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0)); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { error = CommandSupport.FileProblem(f, e); return null; }
        }
        if (patterns.Count == 0)
        {
            if (positional.Count == 0) { error = "no pattern given (try: crawlgrep PATTERN PATH..., or crawlgrep --help)"; return null; }
            patterns.Add(positional[0]);
            positional.RemoveAt(0);
        }
        string? crawl = pr.GetValue(Crawl);
        if (positional.Count == 0 && crawl is null) { error = "no input given: name one or more archives or folders, or a crawl (--crawl latest)"; return null; }
        if (CrawlSelect.Misuse(pr, crawl is not null, "--crawl latest") is { } misuse) { error = misuse; return null; }

        // --type holds record types, and with --crawl the kind of crawl file too.
        var typeValues = (pr.GetValue(Types) ?? []).SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        var fileTypes = typeValues.Where(t => Enum.TryParse<CrawlFileType>(t, ignoreCase: true, out _)).ToList();
        var recordTypes = typeValues.Except(fileTypes).ToList();
        if (fileTypes.Count > 0 && crawl is null) { error = $"--type {fileTypes[0]} picks the files of a crawl: name the crawl (--crawl latest)"; return null; }
        if (fileTypes.Distinct(StringComparer.OrdinalIgnoreCase).Count() > 1) { error = "--type: one kind of crawl file at a time (warc, wet or wat)"; return null; }
        // A misspelt type would match no record and end as "no hits" (exit 1), as if the archives held none.
        if (RecordFilter.UnknownType(recordTypes) is { } unknown)
        {
            error = $"--type: '{unknown}' is not a WARC record type ({string.Join(", ", RecordFilter.KnownTypes)}; or all; with --crawl, warc, wet or wat)";
            return null;
        }
        var fileType = fileTypes.Count > 0 ? Enum.Parse<CrawlFileType>(fileTypes[0], ignoreCase: true) : CrawlFileType.Warc;
        if (Index.Misuse(pr, crawl is not null, positional.Count > 0, fileType) is { } indexMisuse) { error = indexMisuse; return null; }
        // WAT files hold metadata records, which a default scan leaves out.
        if (recordTypes.Count == 0 && crawl is not null && fileType == CrawlFileType.Wat) recordTypes.Add("metadata");

        var sources = Remote.Resolver(pr);
        List<string> inputs, skipped;
        IndexSelection? selection = null;
        try
        {
            inputs = InputExpander.Expand(positional, sources, out skipped);
            if (crawl is not null)
            {
                var catalog = CrawlSelect.Catalog(pr, sources);
                var files = CrawlSelect.Selection(pr, crawl, fileType);
                if (Index.Given(pr))
                {
                    // The index names the files; a --segment, --sample or --files choice narrows them.
                    bool narrowed = files.Segment is not null || files.Sample is not null || files.Files is not null;
                    selection = Index.Select(pr, catalog, catalog.ResolveCrawl(crawl), sources, narrowed ? catalog.Files(files).ToHashSet(StringComparer.Ordinal) : null);
                    inputs.AddRange(selection.Records.Select(r => r.File).Distinct());
                }
                else inputs.AddRange(catalog.Files(files));
                if (catalog.Warning is { } warning) Console.Error.WriteLine($"crawlgrep: warning: {warning}");
            }
        }
        catch (IndexException e)
        {
            sources.Dispose();
            error = e.Message;
            return null;
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException)
        {
            sources.Dispose();
            error = e is IOException ? $"listing inputs: {e.Message}" : e.Message;
            return null;
        }
        var spec = new ScanSpec
        {
            Patterns = new TaskPatterns
            {
                Items = patterns, FixedStrings = pr.GetValue(Fixed), IgnoreCase = pr.GetValue(IgnoreCase), WordRegexp = pr.GetValue(Word),
            },
            Filters = new TaskFilters
            {
                Types = recordTypes.Count > 0 ? recordTypes : null,
                Mime = pr.GetValue(Mime) is { Length: > 0 } m ? m : null,
                Url = pr.GetValue(Url),
            },
            Limits = new TaskLimits { MaxLinesPerFile = pr.GetValue(MaxCount) is >= 0 and var max ? max : null }, // a negative NUM: no limit (GNU grep's -m -1)
        };
        int threads = ThreadCount(pr.GetValue(Threads));
        return new ScanRequest(spec, pr.GetValue(NoDb) ? null : pr.GetValue(Db), patterns, positional, inputs, skipped, new PlanOptions { Cores = threads, SplitSize = pr.GetValue(Split) },
            sources) { Selection = selection, MaxGap = pr.GetValue(Index.MaxGap) };
    }
}
