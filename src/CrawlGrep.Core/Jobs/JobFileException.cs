namespace CrawlGrep.Core.Jobs;

/// <summary>A job file that cannot be used: what is wrong, and where (<c>FILE:LINE: problem</c>).</summary>
public sealed class JobFileException(string file, int line, string problem) : Exception($"{file}:{line}: {problem}")
{
    public string File { get; } = file;
    public int Line { get; } = line;
    public string Problem { get; } = problem;
}
