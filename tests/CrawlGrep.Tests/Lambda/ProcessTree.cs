using System.Globalization;

namespace CrawlGrep.Tests.Lambda;

/// <summary>A process and its descendants, from the parent ids in /proc/*/stat (Linux).</summary>
internal static class ProcessTree
{
    /// <summary>The root first, then its descendants in breadth-first order; only the root when /proc cannot be read.</summary>
    public static List<int> Of(int root)
    {
        var children = new Dictionary<int, List<int>>();
        try
        {
            foreach (string dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)) continue;
                if (ParentOf(dir) is not int parent) continue;
                if (!children.TryGetValue(parent, out var list)) children[parent] = list = [];
                list.Add(pid);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }

        var tree = new List<int> { root };
        for (int i = 0; i < tree.Count; i++)
            if (children.TryGetValue(tree[i], out var list)) tree.AddRange(list);
        return tree;
    }

    /// <summary>
    /// The fourth field of /proc/PID/stat. The second, the command name in parentheses, may itself hold spaces and
    /// parentheses, so the fields are counted from the last ')'.
    /// </summary>
    private static int? ParentOf(string procDir)
    {
        string stat;
        try { stat = File.ReadAllText(Path.Combine(procDir, "stat")); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; } // ended meanwhile
        int close = stat.LastIndexOf(')');
        if (close < 0) return null;
        string[] rest = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return rest.Length > 1 && int.TryParse(rest[1], NumberStyles.None, CultureInfo.InvariantCulture, out int ppid) ? ppid : null;
    }
}
