namespace CrawlGrep.Core.Planning.Index;

/// <summary>A CDX line that is not one: its number and what is wrong with it.</summary>
public sealed class CdxLineException(long lineNumber, string problem)
    : FormatException($"line {lineNumber}: {problem}")
{
    /// <summary>1-based number of the line in its file or answer.</summary>
    public long LineNumber { get; } = lineNumber;

    /// <summary>What is wrong, without the line number.</summary>
    public string Problem { get; } = problem;
}
