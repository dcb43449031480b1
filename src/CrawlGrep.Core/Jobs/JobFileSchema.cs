namespace CrawlGrep.Core.Jobs;

/// <summary>The kinds of TOML value a job file key takes.</summary>
internal enum JobValueKind
{
    String,
    Boolean,
    Integer,
    /// <summary>An integer or a float.</summary>
    Number,
    Strings,
    /// <summary>One string, or an array of strings (<c>input.crawl</c>).</summary>
    StringOrStrings,
}

/// <summary>
/// The tables and keys a job file may hold, and the kind of each value. Kept in one place so that the parser, the
/// "did you mean" suggestions and the list of allowed keys in an error never disagree.
/// </summary>
internal static class JobFileSchema
{
    /// <summary>The name of the top level, where tables are named by their header.</summary>
    public const string TopLevel = "";

    /// <summary>Each table's keys in the order the documentation gives them (the top level is <see cref="TopLevel"/>).</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<(string Key, JobValueKind Kind)>> Tables =
        new Dictionary<string, IReadOnlyList<(string, JobValueKind)>>
        {
            [TopLevel] =
            [
                ("name", JobValueKind.String), ("patterns", JobValueKind.Strings), ("pattern_files", JobValueKind.Strings),
                ("fixed_strings", JobValueKind.Boolean), ("ignore_case", JobValueKind.Boolean), ("word", JobValueKind.Boolean),
                ("max_count", JobValueKind.Integer),
            ],
            ["filters"] = [("types", JobValueKind.Strings), ("mime", JobValueKind.Strings), ("url", JobValueKind.String)],
            ["input"] =
            [
                ("crawl", JobValueKind.StringOrStrings), ("since", JobValueKind.String), ("type", JobValueKind.String),
                ("segment", JobValueKind.String), ("sample", JobValueKind.Integer), ("seed", JobValueKind.Integer),
                ("files", JobValueKind.Integer), ("collinfo", JobValueKind.String), ("cc_root", JobValueKind.String),
                ("paths", JobValueKind.Strings),
            ],
            ["executor"] =
            [
                ("threads", JobValueKind.Integer), ("lambda", JobValueKind.String), ("concurrency", JobValueKind.Integer),
                ("results", JobValueKind.String), ("max_cost", JobValueKind.Number), ("memory", JobValueKind.Integer),
                ("endpoint", JobValueKind.String),
            ],
            ["output"] = [("database", JobValueKind.String), ("parquet", JobValueKind.String)],
            ["schedule"] = [("cron", JobValueKind.String), ("timezone", JobValueKind.String)],
        };

    /// <summary>The named tables, in the documented order.</summary>
    public static IEnumerable<string> TableNames => Tables.Keys.Where(t => t != TopLevel);

    /// <summary>The kind of <paramref name="key"/> in <paramref name="table"/>, or null when the table has no such key.</summary>
    public static JobValueKind? KindOf(string table, string key)
    {
        foreach (var (k, kind) in Tables[table])
            if (k == key) return kind;
        return null;
    }

    /// <summary>"the top level" or "[input]", for messages.</summary>
    public static string Describe(string table) => table == TopLevel ? "the top level" : $"[{table}]";

    /// <summary>The candidate closest to <paramref name="word"/>, when it is close enough to be a likely misspelling.</summary>
    public static string? Closest(string word, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string c in candidates)
        {
            int d = Distance(word.ToLowerInvariant(), c);
            if (d < bestDistance) (best, bestDistance) = (c, d);
        }
        // Two edits catch most typos ("patern", "ignorecase"); longer keys may take a third.
        return best is not null && bestDistance <= Math.Max(2, best.Length / 4) ? best : null;
    }

    /// <summary>Edit distance (insertions, deletions, substitutions and swaps of neighbours).</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
