namespace CrawlGrep.Core.Results;

/// <summary>A named SQL file from a <c>queries/</c> folder: <c>NAME.sql</c>, whose first <c>-- </c> line describes it.</summary>
public sealed record NamedQuery(string Name, string Path, string Description)
{
    public string ReadSql() => File.ReadAllText(Path);
}
