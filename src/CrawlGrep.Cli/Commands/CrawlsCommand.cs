using System.CommandLine;
using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Results;

namespace CrawlGrep.Cli.Commands;

/// <summary>
/// <c>crawlgrep crawls</c> lists Common Crawl's crawls, newest first; <c>crawlgrep crawls CRAWL [--type T]
/// [--segment ID] [--sample N --seed S] [--files N]</c> prints the files such a selection picks, one per line, so a
/// selection can be checked before it is scanned.
/// </summary>
public static class CrawlsCommand
{
    public static Command Create()
    {
        var crawl = new Argument<string?>("CRAWL")
        {
            Description = "Print the files of this crawl instead: 'latest', an id (CC-MAIN-2024-33) or its year-week (2024-33)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var type = new Option<string>("--type")
        {
            Description = "Which files of the crawl",
            HelpName = "warc|wet|wat",
            DefaultValueFactory = _ => "warc",
        };
        type.AcceptOnlyFromAmong("warc", "wet", "wat");
        var select = new CrawlFlags();
        var json = CommandSupport.JsonOption();
        var refresh = new Option<bool>("--refresh") { Description = "Fetch the crawl list again even when the cached copy is less than a day old" };
        var remote = new RemoteFlags();

        var command = new Command("crawls", "List Common Crawl's crawls, or the files a crawl selection picks");
        command.Arguments.Add(crawl);
        foreach (Option o in new Option[] { type, json, refresh }) command.Options.Add(o);
        select.AddTo(command);
        remote.AddTo(command);
        command.SetAction(pr => CommandSupport.Run(pr, "crawls", output =>
        {
            using var sources = remote.Resolver(pr);
            var catalog = select.Catalog(pr, sources);
            string? selector = pr.GetValue(crawl);
            // Wrong flags are told before anything is fetched.
            if (select.Misuse(pr, selector is not null, "e.g. crawlgrep crawls latest --files 3") is { } misuse) throw new CommandSupport.UsageException(misuse);
            try
            {
                var crawls = catalog.Crawls(pr.GetValue(refresh));
                if (catalog.Warning is { } warning) pr.InvocationConfiguration.Error.WriteLine($"crawlgrep: crawls: warning: {warning}");
                var format = pr.GetValue(json) ? OutputFormat.Json : OutputFormat.Table;
                if (selector is null)
                {
                    CommandSupport.Print(CrawlTable(crawls, format), format, output);
                    return CommandSupport.ExitOk;
                }
                var selection = select.Selection(pr, selector, Enum.Parse<CrawlFileType>(pr.GetValue(type)!, ignoreCase: true));
                var picked = catalog.Files(selection);
                if (format == OutputFormat.Json) CommandSupport.Print(FileTable(catalog.ResolveCrawl(selector), selection.Type, picked), format, output);
                else CommandSupport.PrintLines(picked, output);
                return CommandSupport.ExitOk;
            }
            catch (Exception e) when (e is ArgumentException or InvalidDataException)
            {
                throw new CommandSupport.UsageException(e.Message);
            }
        }));
        return command;
    }

    /// <summary>The table shows what tells crawls apart; JSON carries every field of collinfo.json, under its names.</summary>
    private static SqlResult CrawlTable(IReadOnlyList<CrawlInfo> crawls, OutputFormat format)
    {
        if (format == OutputFormat.Json)
            return new SqlResult(["id", "name", "from", "to", "cdx-api", "timegate"], ["VARCHAR", "VARCHAR", "TIMESTAMP", "TIMESTAMP", "VARCHAR", "VARCHAR"],
                crawls.Select(c => new object?[] { c.Id, c.Name, c.From, c.To, c.CdxApi, c.Timegate }).ToList());
        return new SqlResult(["id", "name", "from", "to"], ["VARCHAR", "VARCHAR", "TIMESTAMP", "TIMESTAMP"],
            crawls.Select(c => new object?[] { c.Id, c.Name, c.From, c.To }).ToList());
    }

    private static SqlResult FileTable(string crawl, CrawlFileType type, IReadOnlyList<string> files) =>
        new(["crawl", "type", "file"], ["VARCHAR", "VARCHAR", "VARCHAR"],
            files.Select(f => new object?[] { crawl, type.ToString().ToLowerInvariant(), f }).ToList());
}
