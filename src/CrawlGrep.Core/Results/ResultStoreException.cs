using DuckDB.NET.Data;

namespace CrawlGrep.Core.Results;

/// <summary>
/// A failure of the result store or of SQL run against it, with a one-line message fit for a
/// terminal (DuckDB's own messages span several lines: the caret diagram, candidate bindings).
/// </summary>
public sealed class ResultStoreException : Exception
{
    public ResultStoreException(string message, Exception? inner = null)
        : base(FirstLine(message), inner) { }

    /// <summary>The DuckDB error, reduced to its first line.</summary>
    public static ResultStoreException From(DuckDBException e) => new(e.Message, e);

    internal static string FirstLine(string? message)
    {
        if (string.IsNullOrWhiteSpace(message)) return "unknown error";
        var text = message.Trim();
        var nl = text.IndexOfAny(['\r', '\n']);
        return nl < 0 ? text : text[..nl].TrimEnd();
    }
}
