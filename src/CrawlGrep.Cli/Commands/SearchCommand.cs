using System.CommandLine;
using System.Diagnostics;
using System.Text;
using CrawlGrep.Cli.Output;
using CrawlGrep.Core.Matching;
using CrawlGrep.Core.Results;
using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Cli.Commands;

/// <summary>The main command: <c>crawlgrep [OPTIONS] PATTERN PATH...</c>, grep over web archives.</summary>
public static class SearchCommand
{
    public const int ExitMatch = 0, ExitNoMatch = 1, ExitError = 2;

    private static readonly Argument<string[]> Args = new("PATTERN PATH") { Arity = ArgumentArity.ZeroOrMore, Description = "The pattern (unless -e or -f is given), then archives or folders to scan" };
    private static readonly Option<string[]> Regexp = new("--regexp", "-e") { Description = "A pattern to search for (repeatable)", HelpName = "PATTERN", AllowMultipleArgumentsPerToken = false };
    private static readonly Option<string[]> PatternFile = new("--file", "-f") { Description = "Read patterns from FILE, one per line (blank lines are ignored)", HelpName = "FILE" };
    private static readonly Option<bool> Fixed = new("--fixed-strings", "-F") { Description = "Patterns are literal strings, not regexes" };
    private static readonly Option<bool> IgnoreCase = new("--ignore-case", "-i") { Description = "Case-insensitive matching" };
    private static readonly Option<bool> Word = new("--word-regexp", "-w") { Description = "Only match whole words" };
    private static readonly Option<bool> OnlyMatching = new("--only-matching", "-o") { Description = "Print only the matched text of each hit, not its line" };
    private static readonly Option<bool> Count = new("--count", "-c") { Description = "Print the number of matching lines per input" };
    private static readonly Option<bool> FilesWithMatches = new("--files-with-matches", "-l") { Description = "Print the target URI of each matching record" };
    private static readonly Option<bool> Quiet = new("--quiet", "-q") { Description = "Print nothing; exit 0 on the first match" };
    private static readonly Option<long?> MaxCount = new("--max-count", "-m") { Description = "Stop reading an input after NUM matching lines", HelpName = "NUM" };
    private static readonly Option<bool> Json = new("--json") { Description = "One JSON object per hit (the hits table's columns)" };
    private static readonly Option<bool> Stats = new("--stats") { Description = "Print scan statistics on stderr at the end" };
    private static readonly Option<string[]> Types = new("--type") { Description = "Record types to scan, comma-separated, or 'all' [default: response,resource,conversion]", HelpName = "TYPES" };
    private static readonly Option<string[]> Mime = new("--mime") { Description = "Only records whose content type matches GLOB (e.g. 'text/*'; repeatable)", HelpName = "GLOB" };
    private static readonly Option<string?> Url = new("--url") { Description = "Only records whose target URI matches REGEX", HelpName = "REGEX" };
    private static readonly Option<string> Db = new("--db") { Description = "Result database", HelpName = "FILE", DefaultValueFactory = _ => ResultStore.DefaultPath };
    private static readonly Option<bool> NoDb = new("--no-db") { Description = "Do not record the scan in a database" };
    private static readonly Option<string> Color = new("--color") { Description = "When to use colour: auto, always, never", HelpName = "WHEN", DefaultValueFactory = _ => "auto" };
    private static readonly Option<int> Threads = new("--threads", "-j") { Description = "Inputs scanned at once [default: number of cores]", HelpName = "N", DefaultValueFactory = _ => Environment.ProcessorCount };
    private static readonly Option<bool> NoProgress = new("--no-progress") { Description = "Never show the progress line" };

    public static void AddTo(Command root)
    {
        root.Arguments.Add(Args);
        foreach (Option o in new Option[] { Regexp, PatternFile, Fixed, IgnoreCase, Word, OnlyMatching, Count, FilesWithMatches, Quiet, MaxCount, Json, Stats, Types, Mime, Url, Db, NoDb, Color, Threads, NoProgress })
            root.Options.Add(o);
        root.SetAction(Run);
    }

    private static int Run(ParseResult pr)
    {
        var err = Console.Error;
        // Patterns come from -e/-f; otherwise the first positional argument is the pattern.
        var positional = (pr.GetValue(Args) ?? []).ToList();
        var patterns = new List<string>(pr.GetValue(Regexp) ?? []);
        foreach (var f in pr.GetValue(PatternFile) ?? [])
        {
            try { patterns.AddRange(File.ReadAllLines(f).Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0)); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return Fail($"{f}: {e.Message}"); }
        }
        if (patterns.Count == 0)
        {
            if (positional.Count == 0) return Fail("no pattern given (try: crawlgrep PATTERN PATH..., or crawlgrep --help)");
            patterns.Add(positional[0]);
            positional.RemoveAt(0);
        }
        if (positional.Count == 0) return Fail("no input given: name one or more archives or folders");

        PatternSet set;
        try
        {
            set = new PatternSet(patterns, new MatchOptions
            {
                FixedStrings = pr.GetValue(Fixed), IgnoreCase = pr.GetValue(IgnoreCase), WordRegexp = pr.GetValue(Word),
            });
        }
        catch (PatternException e) { return Fail(e.Message); }

        RecordFilter filter;
        try { filter = new RecordFilter(pr.GetValue(Types) is { Length: > 0 } t ? t : null, pr.GetValue(Mime), pr.GetValue(Url)); }
        catch (ArgumentException e) { return Fail($"invalid --url regex: {e.Message}"); }

        var inputs = InputExpander.Expand(positional, out var skipped);
        var progress = new ScanProgress();
        bool quiet = pr.GetValue(Quiet);
        // Counting or listing with nothing recorded needs only the matching lines, not every match on them.
        bool linesOnly = pr.GetValue(NoDb) && !pr.GetValue(Json) && (quiet || pr.GetValue(Count) || pr.GetValue(FilesWithMatches));
        var options = new ScanOptions { Patterns = set, Filter = filter, MaxLinesPerFile = pr.GetValue(MaxCount), Progress = progress, LinesOnly = linesOnly };

        bool color = pr.GetValue(Color) switch { "always" => true, "never" => false, _ => !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null };
        var stdout = Console.OpenStandardOutput();
        var outWriter = new StreamWriter(stdout, new UTF8Encoding(false), 1 << 16) { AutoFlush = false };
        var ansi = new Ansi(color);

        ResultStore? store = null;
        DuckDbHitSink? dbSink = null;
        long? scanId = null;
        if (!pr.GetValue(NoDb))
        {
            try
            {
                store = new ResultStore(pr.GetValue(Db)!);
                scanId = store.BeginScan(new ScanInfo(CommandLine(), patterns, positional));
                dbSink = new DuckDbHitSink(store, scanId.Value);
            }
            catch (ResultStoreException e) { return Fail($"{e.Message} (use --no-db to scan without recording)"); }
        }

        JsonPrinter? json = null;
        IHitSink printer = quiet ? new NullSink()
            : pr.GetValue(Json) ? json = new JsonPrinter(stdout, scanId)
            : pr.GetValue(Count) ? new CountPrinter(outWriter, ansi, inputs.Count == 1)
            : pr.GetValue(FilesWithMatches) ? new UriListPrinter(outWriter)
            : new LinePrinter(outWriter, ansi, pr.GetValue(OnlyMatching));
        var diagnostics = new DiagnosticPrinter(err);
        var sinks = new List<IHitSink> { diagnostics, printer };
        if (dbSink is not null) sinks.Add(dbSink);
        var fanout = new SinkFanout(sinks.ToArray());

        long totalBytes = inputs.Sum(p => { try { return new FileInfo(p).Length; } catch (IOException) { return 0; } });
        bool showProgress = !pr.GetValue(NoProgress) && !Console.IsErrorRedirected && !quiet;
        var totals = new ScanStats();
        var clock = Stopwatch.StartNew();
        using var cts = new CancellationTokenSource();
        bool interrupted = false;
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; interrupted = true; cts.Cancel(); };
        int threads = Math.Max(1, pr.GetValue(Threads));

        using (var display = showProgress ? new ProgressDisplay(progress, totalBytes, err) : null)
        {
            if (display is not null) diagnostics.BeforeWrite = display.ClearLine;
            try
            {
                Parallel.ForEach(inputs, new ParallelOptions { MaxDegreeOfParallelism = threads },
                    () => new ArchiveScanner(options),
                    (path, state, scanner) =>
                    {
                        if (cts.IsCancellationRequested) { state.Stop(); return scanner; }
                        IHitSink sink = threads > 1 && inputs.Count > 1 ? new FileOrderedSink(fanout) : fanout;
                        var r = scanner.ScanFile(path, sink, cts.Token);
                        lock (totals) totals.Add(r.Stats);
                        if (quiet && r.Stats.Hits > 0) cts.Cancel();
                        return scanner;
                    },
                    scanner => scanner.Dispose());
            }
            catch (IOException) { /* stdout closed (e.g. | head): stop like grep */ }
        }
        try { outWriter.Flush(); json?.Dispose(); stdout.Flush(); } catch (IOException) { }

        if (dbSink is not null && store is not null)
        {
            try
            {
                dbSink.Dispose();
                store.FinishScan(scanId!.Value, totals, totals.Errors > 0 || interrupted ? ScanStatus.Incomplete : ScanStatus.Complete);
            }
            catch (ResultStoreException e) { err.WriteLine($"crawlgrep: {e.Message}"); totals.Errors++; }
            finally { store.Dispose(); }
        }
        if (pr.GetValue(Stats)) PrintStats(err, totals, clock.Elapsed, skipped, scanId, store?.Path);

        if (interrupted) { err.WriteLine("crawlgrep: interrupted; the hits found so far are kept"); return 130; }
        if (quiet && totals.Hits > 0) return ExitMatch;
        if (totals.Errors > 0) return ExitError;
        return totals.Hits > 0 ? ExitMatch : ExitNoMatch;
    }

    private static void PrintStats(TextWriter err, ScanStats s, TimeSpan elapsed, IReadOnlyList<string> skipped, long? scanId, string? db)
    {
        double secs = Math.Max(elapsed.TotalSeconds, 1e-6);
        err.WriteLine();
        err.WriteLine($"{s.Hits:N0} hits in {s.RecordsMatched:N0} records");
        err.WriteLine($"{s.Records:N0} records read, {s.RecordsScanned:N0} matched against ({s.PayloadBytes:N0} payload bytes)");
        err.WriteLine($"{s.Files:N0} inputs, {ProgressDisplay.Size(s.CompressedBytes)} read, {ProgressDisplay.Size(s.DecodedBytes)} decoded");
        err.WriteLine($"{elapsed.TotalSeconds:0.000} s, {s.DecodedBytes / secs / 1e6:0.0} MB/s decoded, {s.CompressedBytes / secs / 1e6:0.0} MB/s read");
        err.WriteLine($"{s.Warnings:N0} warnings, {s.Errors:N0} errors");
        if (skipped.Count > 0) err.WriteLine($"{skipped.Count} files in folders skipped (not archives): {string.Join(", ", skipped.Take(5))}{(skipped.Count > 5 ? ", ..." : "")}");
        if (scanId is not null) err.WriteLine($"scan {scanId} recorded in {db}");
    }

    private static string CommandLine() => "crawlgrep " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1).Select(a => a.Contains(' ') ? $"'{a}'" : a));

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"crawlgrep: {message}");
        return ExitError;
    }

    private sealed class NullSink : IHitSink
    {
        public void OnHit(Hit hit) { }
        public void OnWarning(ScanWarning warning) { }
        public void OnFileDone(FileScanResult result) { }
    }
}
