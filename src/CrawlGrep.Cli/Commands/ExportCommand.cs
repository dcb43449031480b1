using System.CommandLine;
using CrawlGrep.Core.Results;

namespace CrawlGrep.Cli.Commands;

/// <summary><c>crawlgrep export [--format parquet|csv] FILE [--scan ID] [--db FILE]</c>: the hits table to a file.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The file to write" };
        var format = new Option<string?>("--format", "-f")
        {
            Description = "parquet or csv (default: from the file's extension)",
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
            var fmt = parseResult.GetValue(format) ?? FormatFromExtension(outFile)
                ?? throw new CommandSupport.UsageException(
                    $"cannot tell the format of '{outFile}': use --format parquet or --format csv");
            var rows = ResultExporter.Export(parseResult.GetValue(db) ?? ResultStore.DefaultPath, fmt, outFile,
                parseResult.GetValue(scan));
            parseResult.InvocationConfiguration.Error.WriteLine(
                $"exported {rows} hit{(rows == 1 ? "" : "s")} to {outFile}");
            return CommandSupport.ExitOk;
        }));
        return command;
    }

    internal static string? FormatFromExtension(string file) =>
        Path.GetExtension(file).ToLowerInvariant() switch
        {
            ".parquet" or ".pq" => "parquet",
            ".csv" => "csv",
            _ => null,
        };
}
