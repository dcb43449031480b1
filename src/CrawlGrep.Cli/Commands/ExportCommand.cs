using System.CommandLine;
using CrawlGrep.Core.Results;

namespace CrawlGrep.Cli.Commands;

/// <summary><c>crawlgrep export [--format parquet|csv] FILE [--scan ID] [--db FILE]</c>: the hits table to a file.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The file to write; - for standard output" };
        var format = new Option<string?>("--format", "-f")
        {
            Description = "parquet or csv (default: from the file's extension; csv for -)",
            HelpName = "parquet|csv",
        };
        format.AcceptOnlyFromAmong([.. ResultExporter.Formats]);
        var scan = new Option<long?>("--scan") { Description = "Only the hits of this scan id", HelpName = "ID" };
        var db = CommandSupport.DbOption();

        var command = new Command("export", "Export hits to Parquet or CSV");
        command.Arguments.Add(file);
        command.Options.Add(format);
        command.Options.Add(scan);
        command.Options.Add(db);
        command.SetAction(parseResult => CommandSupport.Run(parseResult, "export", _ =>
        {
            var outFile = parseResult.GetValue(file)!;
            bool toStdout = outFile == "-"; // as grep and the shell tools take it, not a file named '-'
            var fmt = parseResult.GetValue(format) ?? (toStdout ? "csv" : FormatFromExtension(outFile))
                ?? throw new CommandSupport.UsageException(
                    $"cannot tell the format of '{outFile}': use --format parquet or --format csv");
            Console.Out.Flush();
            long rows;
            try
            {
                rows = ResultExporter.Export(parseResult.GetValue(db) ?? ResultStore.DefaultPath, fmt, toStdout ? StandardOutput : outFile,
                    parseResult.GetValue(scan));
            }
            catch (ResultStoreException e) when (toStdout && e.Message.Contains("Broken pipe", StringComparison.Ordinal))
            {
                return CommandSupport.ExitOk; // the reader went away (head): it has what it wanted, as with a search's output
            }
            parseResult.InvocationConfiguration.Error.WriteLine(
                $"exported {rows} hit{(rows == 1 ? "" : "s")} to {(toStdout ? "standard output" : outFile)}");
            return CommandSupport.ExitOk;
        }));
        return command;
    }

    /// <summary>DuckDB's COPY writes to a path: the process's own standard output by its path.</summary>
    private const string StandardOutput = "/dev/stdout";

    internal static string? FormatFromExtension(string file) =>
        Path.GetExtension(file).ToLowerInvariant() switch
        {
            ".parquet" or ".pq" => "parquet",
            ".csv" => "csv",
            _ => null,
        };
}
