using System.CommandLine;
using System.Text;
using CrawlGrep.Core.Results;

namespace CrawlGrep.Cli.Commands;

/// <summary>Options and error handling shared by the result commands (sql, query, export).</summary>
internal static class CommandSupport
{
    public const int ExitOk = 0;
    public const int ExitError = 2;

    public static Option<string> DbOption() => new("--db")
    {
        Description = "The result database",
        HelpName = "FILE",
        DefaultValueFactory = _ => ResultStore.DefaultPath,
    };

    public static Option<bool> CsvOption() => new("--csv") { Description = "Print CSV (RFC 4180) with a header row" };

    public static Option<bool> JsonOption() => new("--json") { Description = "Print one JSON object per row (NDJSON)" };

    public static OutputFormat ResolveFormat(ParseResult parseResult, Option<bool> csv, Option<bool> json)
    {
        var isCsv = parseResult.GetValue(csv);
        var isJson = parseResult.GetValue(json);
        if (isCsv && isJson) throw new UsageException("--csv and --json cannot be combined");
        return isCsv ? OutputFormat.Csv : isJson ? OutputFormat.Json : OutputFormat.Table;
    }

    /// <summary>Runs a command body: errors become one line <c>crawlgrep: NAME: message</c> on stderr and
    /// exit code 2; no stack traces. The body gets the output writer (buffered when stdout is redirected).</summary>
    public static int Run(ParseResult parseResult, string name, Func<TextWriter, int> body)
    {
        var config = parseResult.InvocationConfiguration;
        var error = config.Error;
        var output = config.Output;
        StreamWriter? buffered = null;
        if (ReferenceEquals(output, Console.Out) && Console.IsOutputRedirected)
            output = buffered = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16);
        try
        {
            var code = body(output);
            output.Flush();
            return code;
        }
        catch (OutputClosedException)
        {
            return ExitOk; // the reader went away (e.g. `| head`): stop quietly, like grep
        }
        catch (Exception e) when (e is ResultStoreException or UsageException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"crawlgrep: {name}: {OneLine(e.Message)}");
            return ExitError;
        }
        finally
        {
            try { buffered?.Dispose(); } catch (IOException) { }
        }
    }

    /// <summary>Prints a result; a write failure on stdout means the reader is gone.</summary>
    public static void Print(SqlResult result, OutputFormat format, TextWriter output)
    {
        try
        {
            TablePrinter.Print(result, format, output);
        }
        catch (IOException e)
        {
            throw new OutputClosedException(e);
        }
    }

    /// <summary>Prints one line each; a write failure on stdout means the reader is gone.</summary>
    public static void PrintLines(IEnumerable<string> lines, TextWriter output)
    {
        try
        {
            foreach (var line in lines) output.WriteLine(line);
            output.Flush();
        }
        catch (IOException e)
        {
            throw new OutputClosedException(e);
        }
    }

    public static string OneLine(string message)
    {
        var t = message.Trim();
        var nl = t.IndexOfAny(['\r', '\n']);
        return nl < 0 ? t : t[..nl].TrimEnd();
    }

    /// <summary>Wrong use of a command, reported like any other error.</summary>
    public sealed class UsageException(string message) : Exception(message);

    private sealed class OutputClosedException(Exception inner) : Exception(inner.Message, inner);

    /// <summary>Why a file could not be read, after its name: "no such file" as grep says it, else the system's words.</summary>
    public static string FileProblem(string path, Exception e) =>
        $"{path}: {(e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : Directory.Exists(path) ? "a folder, not a file" : e.Message)}";
}
