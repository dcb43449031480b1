using System.CommandLine;
using CrawlGrep.Core.Jobs;
using CrawlGrep.Core.Results;

namespace CrawlGrep.Cli.Commands;

/// <summary><c>crawlgrep query NAME [--job JOB] [--db FILE] [--csv|--json]</c> runs <c>queries/NAME.sql</c>, with
/// <c>$job</c> bound to JOB in a query over a research job's results; <c>crawlgrep query --list</c> lists the named queries.</summary>
public static class QueryCommand
{
    public static Command Create() => Create(null);

    /// <summary>With <paramref name="folders"/>, queries are looked up there instead of
    /// <see cref="NamedQueries.DefaultFolders"/>.</summary>
    public static Command Create(IReadOnlyList<string>? folders)
    {
        var name = new Argument<string?>("name")
        {
            Description = "The query: queries/NAME.sql, in ./queries or next to crawlgrep",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var list = new Option<bool>("--list", "-l") { Description = "List the named queries" };
        var job = new Option<string?>("--job")
        {
            Description = "The research job a job query reads ($job in its SQL)",
            HelpName = "NAME",
        };
        var db = CommandSupport.DbOption();
        var csv = CommandSupport.CsvOption();
        var json = CommandSupport.JsonOption();

        var command = new Command("query", "Run a named query over the scan results");
        command.Arguments.Add(name);
        command.Options.Add(list);
        command.Options.Add(job);
        command.Options.Add(db);
        command.Options.Add(csv);
        command.Options.Add(json);
        command.SetAction(parseResult => CommandSupport.Run(parseResult, "query", output =>
        {
            var queryName = parseResult.GetValue(name);
            if (parseResult.GetValue(list) || string.IsNullOrWhiteSpace(queryName))
            {
                PrintList(NamedQueries.List(folders), output);
                return CommandSupport.ExitOk;
            }
            var format = CommandSupport.ResolveFormat(parseResult, csv, json);
            var query = NamedQueries.Find(queryName, folders);
            if (query is null)
            {
                var available = NamedQueries.List(folders).Select(q => q.Name).ToList();
                throw new CommandSupport.UsageException(available.Count == 0
                    ? $"unknown query '{queryName}': no queries found in {string.Join(" or ", folders ?? NamedQueries.DefaultFolders())}"
                    : $"unknown query '{queryName}' (available: {string.Join(", ", available)})");
            }
            var sql = query.ReadSql();
            var dbPath = parseResult.GetValue(db) ?? ResultStore.DefaultPath;
            var parameters = Parameters(query, sql, parseResult.GetValue(job), dbPath);
            var result = SqlRunner.Run(dbPath, sql, parameters: parameters);
            CommandSupport.Print(result, format, output);
            return CommandSupport.ExitOk;
        }));
        return command;
    }

    /// <summary>
    /// The values of the parameters <paramref name="sql"/> uses: <c>$job</c> from <c>--job</c>, which must name a job
    /// of the database; a query that uses no <c>$job</c> takes no <c>--job</c>.
    /// </summary>
    private static Dictionary<string, object?>? Parameters(NamedQuery query, string sql, string? job, string dbPath)
    {
        var used = NamedQuery.ParametersOf(sql);
        var unknown = used.Where(p => p != "job").ToList();
        if (unknown.Count > 0)
            throw new CommandSupport.UsageException($"query {query.Name} uses {string.Join(", ", unknown.Select(p => "$" + p))}, which crawlgrep query cannot set (only $job, from --job)");
        if (!used.Contains("job"))
        {
            if (job is not null) throw new CommandSupport.UsageException($"query {query.Name} takes no --job (it does not read a job's results)");
            return null;
        }
        if (string.IsNullOrWhiteSpace(job)) throw new CommandSupport.UsageException($"query {query.Name} needs --job NAME");
        JobNames.Require(dbPath, job);
        return new Dictionary<string, object?> { ["job"] = job };
    }

    private static void PrintList(IReadOnlyList<NamedQuery> queries, TextWriter output)
    {
        if (queries.Count == 0)
        {
            output.WriteLine("no named queries found");
            return;
        }
        var width = queries.Max(q => q.Name.Length);
        foreach (var q in queries)
            output.WriteLine(string.IsNullOrEmpty(q.Description) ? q.Name : $"{q.Name.PadRight(width)}  {q.Description}");
    }
}
