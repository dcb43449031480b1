using System.Text.RegularExpressions;

namespace CrawlGrep.Tests.Conformance;

/// <summary>One row of a SOURCES.md table: a sample file and what its authors counted in it.</summary>
internal sealed record SourceEntry(
    string File,
    string RecordsText,
    string GzMembersText,
    IReadOnlyDictionary<string, int> Types)
{
    /// <summary>The record count when the column is a plain number ("6"), else null ("0 (not WARC)", "(lz4)").</summary>
    public int? Records => int.TryParse(RecordsText, out int n) ? n : null;

    /// <summary>A file that holds WARC records (records column is a number above 0).</summary>
    public bool IsWarc => Records is > 0;

    /// <summary>Marked "(not WARC)", "(lz4)" or otherwise not a number: a scan must report an error.</summary>
    public bool MustFail => Records is null || Records == 0;

    /// <summary>Number of gzip members when the column says "members=N (ok)", else null.</summary>
    public int? GzMembersOk
    {
        get
        {
            var m = Regex.Match(GzMembersText, @"^members=(\d+) \(ok\)$");
            return m.Success ? int.Parse(m.Groups[1].Value) : null;
        }
    }

    /// <summary>One gzip member per record (what Common Crawl writes).</summary>
    public bool IsPerRecordGzip => IsWarc && GzMembersOk == Records;
}

/// <summary>Reads the tables of SOURCES.md (columns located by their header text).</summary>
internal static class SourcesTable
{
    private static readonly Lazy<IReadOnlyList<SourceEntry>> Cache = new(() => Parse(File.ReadAllLines(RealData.PathOf("SOURCES.md"))));

    public static IReadOnlyList<SourceEntry> Entries => Cache.Value;

    public static SourceEntry Get(string file) => Entries.Single(e => e.File == file);

    public static IReadOnlyList<SourceEntry> Parse(IEnumerable<string> lines)
    {
        var entries = new List<SourceEntry>();
        string[]? header = null;
        int fileCol = -1, recordsCol = -1, typesCol = -1, membersCol = -1;
        foreach (string raw in lines)
        {
            string line = raw.Trim();
            if (!line.StartsWith('|'))
            {
                header = null;
                continue;
            }
            string[] cells = SplitRow(line);
            if (header is null)
            {
                header = cells;
                fileCol = Array.FindIndex(cells, c => c.StartsWith("file", StringComparison.OrdinalIgnoreCase));
                recordsCol = Array.IndexOf(cells, "records");
                typesCol = Array.IndexOf(cells, "record types");
                membersCol = Array.IndexOf(cells, "gz members");
                if (fileCol < 0 || recordsCol < 0 || typesCol < 0 || membersCol < 0)
                    throw new FormatException($"SOURCES.md: a table header lacks the file/records/record types/gz members columns: {line}");
                continue;
            }
            if (cells.All(c => c.Length > 0 && c.Trim('-', ':').Length == 0)) continue; // |---|---|
            if (cells.Length != header.Length)
                throw new FormatException($"SOURCES.md: row has {cells.Length} cells, header has {header.Length}: {line}");
            entries.Add(new SourceEntry(cells[fileCol], cells[recordsCol], cells[membersCol], ParseTypes(cells[typesCol])));
        }
        return entries;
    }

    private static string[] SplitRow(string line)
    {
        string inner = line.Trim();
        if (inner.StartsWith('|')) inner = inner[1..];
        if (inner.EndsWith('|')) inner = inner[..^1];
        return inner.Split('|').Select(c => c.Trim()).ToArray();
    }

    /// <summary>"request:2 response:1 warcinfo:2" → {request: 2, response: 1, warcinfo: 2}; "-" or empty → {}.</summary>
    public static IReadOnlyDictionary<string, int> ParseTypes(string text)
    {
        var types = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (string part in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int colon = part.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(part[(colon + 1)..], out int n)) continue;
            types[part[..colon]] = n;
        }
        return types;
    }
}
