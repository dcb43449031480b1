namespace CrawlGrep.Core.Results;

/// <summary>A named SQL file from a <c>queries/</c> folder: <c>NAME.sql</c>, whose first <c>-- </c> line describes it.</summary>
public sealed record NamedQuery(string Name, string Path, string Description)
{
    public string ReadSql() => File.ReadAllText(Path);

    /// <summary>
    /// The named parameters <paramref name="sql"/> uses (<c>$job</c> is <c>job</c>), lower-cased, in order of first
    /// use: <c>$name</c> outside string literals, quoted identifiers, comments and dollar-quoted strings. Positional
    /// parameters (<c>$1</c>, <c>?</c>) are not named and not listed.
    /// </summary>
    public static IReadOnlyList<string> ParametersOf(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var names = new List<string>();
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c is '\'' or '"')
            {
                // A literal or quoted identifier; a doubled quote inside it is one quote.
                i++;
                while (i < sql.Length)
                {
                    if (sql[i] == c)
                    {
                        if (i + 1 < sql.Length && sql[i + 1] == c) { i += 2; continue; }
                        break;
                    }
                    i++;
                }
                i++;
            }
            else if (c == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                while (i < sql.Length && sql[i] != '\n') i++;
            }
            else if (c == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + 2;
            }
            else if (c == '$')
            {
                var start = i + 1;
                var j = start;
                while (j < sql.Length && IsNameChar(sql[j], j == start)) j++;
                if (j < sql.Length && sql[j] == '$')
                {
                    // A dollar-quoted string: $$...$$ or $tag$...$tag$.
                    var tag = sql[i..(j + 1)];
                    var end = sql.IndexOf(tag, j + 1, StringComparison.Ordinal);
                    i = end < 0 ? sql.Length : end + tag.Length;
                    continue;
                }
                if (j > start)
                {
                    var name = sql[start..j].ToLowerInvariant();
                    if (!names.Contains(name)) names.Add(name);
                }
                i = Math.Max(j, i + 1);
            }
            else if (char.IsLetterOrDigit(c) || c == '_')
            {
                // A word: a '$' inside it (a name like a$b) is not a parameter.
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] is '_' or '$')) i++;
            }
            else i++;
        }
        return names;
    }

    private static bool IsNameChar(char c, bool first) => first ? char.IsLetter(c) || c == '_' : char.IsLetterOrDigit(c) || c == '_';
}
