namespace CrawlGrep.Core.Results;

/// <summary>
/// Finds named queries: <c>queries/NAME.sql</c> in the current directory first, then next to the
/// executable. A name found in an earlier folder hides the same name in later ones.
/// </summary>
public static class NamedQueries
{
    public const string FolderName = "queries";

    /// <summary>The folders searched, in order: <c>./queries</c>, then <c>queries</c> next to the executable.</summary>
    public static IReadOnlyList<string> DefaultFolders()
    {
        var folders = new List<string> { Path.GetFullPath(FolderName) };
        var beside = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, FolderName));
        if (!folders.Contains(beside, StringComparer.Ordinal)) folders.Add(beside);
        return folders;
    }

    /// <summary>All queries in <paramref name="folders"/> (default: <see cref="DefaultFolders"/>), sorted by name.</summary>
    public static IReadOnlyList<NamedQuery> List(IEnumerable<string>? folders = null)
    {
        var byName = new Dictionary<string, NamedQuery>(StringComparer.OrdinalIgnoreCase);
        foreach (var folder in folders ?? DefaultFolders())
        {
            if (!Directory.Exists(folder)) continue;
            foreach (var file in Directory.EnumerateFiles(folder, "*.sql"))
            {
                var name = Path.GetFileNameWithoutExtension(file);
                if (!byName.ContainsKey(name)) byName[name] = new NamedQuery(name, file, ReadDescription(file));
            }
        }
        return byName.Values.OrderBy(q => q.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>The query called <paramref name="name"/> (with or without <c>.sql</c>), or null.</summary>
    public static NamedQuery? Find(string name, IEnumerable<string>? folders = null)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        if (name.EndsWith(".sql", StringComparison.OrdinalIgnoreCase)) name = name[..^4];
        // A name, not a path: no separators, no parent references.
        if (name.IndexOfAny(['/', '\\']) >= 0 || name.Contains("..", StringComparison.Ordinal)) return null;
        foreach (var folder in folders ?? DefaultFolders())
        {
            var file = Path.Combine(folder, name + ".sql");
            if (File.Exists(file)) return new NamedQuery(name, file, ReadDescription(file));
        }
        return null;
    }

    /// <summary>The first line's <c>-- </c> comment, or empty.</summary>
    internal static string ReadDescription(string file)
    {
        try
        {
            using var reader = new StreamReader(file);
            string? line;
            while ((line = reader.ReadLine()) != null)
            {
                var t = line.Trim();
                if (t.Length == 0) continue;
                return t.StartsWith("--", StringComparison.Ordinal) ? t[2..].Trim() : "";
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return "";
    }
}
