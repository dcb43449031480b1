namespace CrawlGrep.Tests.Lambda;

/// <summary>The program each worker process runs (the function's <c>bootstrap</c>) and its arguments.</summary>
public sealed record WorkerCommand(string FileName, IReadOnlyList<string> Arguments)
{
    public WorkerCommand(string fileName, params string[] arguments) : this(fileName, (IReadOnlyList<string>)arguments) { }

    public override string ToString() => string.Join(' ', Arguments.Prepend(FileName));
}
