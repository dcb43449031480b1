using System.CommandLine;
using CrawlGrep.Cli.Commands;

// A Lambda function's bootstrap is this program: it serves the Runtime API loop.
if (LambdaCommand.IsBootstrap(args)) return LambdaCommand.RunWorker();

var root = new RootCommand("crawlgrep: grep for web archives (WARC, WET, WAT; gzip, zstd or plain). Every hit is kept in DuckDB for SQL.");
SearchCommand.AddTo(root);
root.Subcommands.Add(PlanCommand.Create());
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(ResumeCommand.Create());
root.Subcommands.Add(CollectCommand.Create());
root.Subcommands.Add(ShowCommand.Create());
root.Subcommands.Add(SqlCommand.Create());
root.Subcommands.Add(QueryCommand.Create());
root.Subcommands.Add(ExportCommand.Create());
root.Subcommands.Add(GenerateCommand.Create());
root.Subcommands.Add(CrawlsCommand.Create());
root.Subcommands.Add(LambdaCommand.Create());
root.Subcommands.Add(JobCommand.Create());
CommandHelp.Apply(root);

// System.CommandLine takes a first argument equal to the program name for the program itself, which
// would swallow the pattern of `crawlgrep crawlgrep samples/`: name the root explicitly first.
var parsed = root.Parse([root.Name, .. args]);
if (parsed.Errors.Count > 0)
{
    // grep's convention: a usage error exits 2
    foreach (var e in parsed.Errors) Console.Error.WriteLine($"crawlgrep: {e.Message}");
    Console.Error.WriteLine("Try 'crawlgrep --help' for more information.");
    return SearchCommand.ExitError;
}
return parsed.Invoke();
