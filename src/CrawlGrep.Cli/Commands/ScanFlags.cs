using System.CommandLine;
using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Results;
using CrawlGrep.Core.Sources;

namespace CrawlGrep.Cli.Commands;

/// <summary>What a scan is asked for on the command line: patterns, inputs, filters, limits. Read from the flags search and plan share.</summary>
internal sealed record ScanRequest(ScanTask Template, IReadOnlyList<string> Patterns, IReadOnlyList<string> Positional,
    IReadOnlyList<string> Inputs, IReadOnlyList<string> Skipped, PlanOptions PlanOptions, SourceResolver Sources);

/// <summary>The flags of <c>crawlgrep</c> and <c>crawlgrep plan</c> that say what to scan and how to cut it into tasks.</summary>
internal sealed class ScanFlags
{
    public readonly Argument<string[]> Args = new("PATTERN PATH") { Arity = ArgumentArity.ZeroOrMore, Description = "The pattern (unless -e or -f is given), then archives or folders to scan" };
    public readonly Option<string[]> Regexp = new("--regexp", "-e") { Description = "A pattern to search for (repeatable)", HelpName = "PATTERN", AllowMultipleArgumentsPerToken = false };
    public readonly Option<string[]> PatternFile = new("--file", "-f") { Description = "Read patterns from FILE, one per line (blank lines are ignored)", HelpName = "FILE" };
    public readonly Option<bool> Fixed = new("--fixed-strings", "-F") { Description = "Patterns are literal strings, not regexes" };
    public readonly Option<bool> IgnoreCase = new("--ignore-case", "-i") { Description = "Case-insensitive matching" };
    public readonly Option<bool> Word = new("--word-regexp", "-w") { Description = "Only match whole words" };
    public readonly Option<long?> MaxCount = new("--max-count", "-m") { Description = "Stop reading an input after NUM matching lines", HelpName = "NUM" };
    public readonly Option<string[]> Types = new("--type") { Description = "Record types to scan, comma-separated, or 'all' [default: response,resource,conversion]", HelpName = "TYPES" };
    public readonly Option<string[]> Mime = new("--mime") { Description = "Only records whose content type matches GLOB (e.g. 'text/*'; repeatable)", HelpName = "GLOB" };
    public readonly Option<string?> Url = new("--url") { Description = "Only records whose target URI matches REGEX", HelpName = "REGEX" };
    public readonly Option<string> Db = new("--db") { Description = "Result database", HelpName = "FILE", DefaultValueFactory = _ => ResultStore.DefaultPath };
    public readonly Option<bool> NoDb = new("--no-db") { Description = "Do not record the scan in a database" };
    public readonly Option<int> Threads = new("--threads", "-j") { Description = "Tasks scanned at once [default: number of cores]", HelpName = "N", DefaultValueFactory = _ => Environment.ProcessorCount };
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
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { error = $"{f}: {e.Message}"; return null; }
        }
        if (patterns.Count == 0)
        {
            if (positional.Count == 0) { error = "no pattern given (try: crawlgrep PATTERN PATH..., or crawlgrep --help)"; return null; }
            patterns.Add(positional[0]);
            positional.RemoveAt(0);
        }
        if (positional.Count == 0) { error = "no input given: name one or more archives or folders"; return null; }

        var sources = Remote.Resolver(pr);
        List<string> inputs, skipped;
        try { inputs = InputExpander.Expand(positional, sources, out skipped); }
        catch (IOException e)
        {
            sources.Dispose();
            error = $"listing inputs: {e.Message}";
            return null;
        }
        var template = new ScanTask
        {
            Source = "",
            Format = "",
            Patterns = new TaskPatterns
            {
                Items = patterns, FixedStrings = pr.GetValue(Fixed), IgnoreCase = pr.GetValue(IgnoreCase), WordRegexp = pr.GetValue(Word),
            },
            Filters = new TaskFilters
            {
                Types = pr.GetValue(Types) is { Length: > 0 } t ? t : null,
                Mime = pr.GetValue(Mime) is { Length: > 0 } m ? m : null,
                Url = pr.GetValue(Url),
            },
            Limits = new TaskLimits { MaxLinesPerFile = pr.GetValue(MaxCount) },
            Output = new TaskOutput { Db = pr.GetValue(NoDb) ? null : pr.GetValue(Db) },
        };
        int threads = Math.Max(1, pr.GetValue(Threads));
        return new ScanRequest(template, patterns, positional, inputs, skipped, new PlanOptions { Cores = threads, SplitSize = pr.GetValue(Split) },
            sources);
    }
}
