using System.CommandLine;
using CrawlGrep.Core.Results;

namespace CrawlGrep.Cli.Commands;

/// <summary><c>crawlgrep sql "SELECT ..." [--db FILE] [--csv|--json]</c>: SQL over the result database.</summary>
public static class SqlCommand
{
    public static Command Create()
    {
        var statement = new Argument<string>("statement")
        {
            Description = "SQL to run (tables: hits, scans, tasks); '-' reads it from stdin",
        };
        var db = CommandSupport.DbOption();
        var csv = CommandSupport.CsvOption();
        var json = CommandSupport.JsonOption();

        var command = new Command("sql", "Run SQL over the scan results");
        command.Arguments.Add(statement);
        command.Options.Add(db);
        command.Options.Add(csv);
        command.Options.Add(json);
        command.SetAction(parseResult => CommandSupport.Run(parseResult, "sql", output =>
        {
            var format = CommandSupport.ResolveFormat(parseResult, csv, json);
            var sql = parseResult.GetValue(statement) ?? "";
            if (sql == "-") sql = Console.In.ReadToEnd();
            var result = SqlRunner.Run(parseResult.GetValue(db) ?? ResultStore.DefaultPath, sql);
            CommandSupport.Print(result, format, output);
            return CommandSupport.ExitOk;
        }));
        return command;
    }
}
