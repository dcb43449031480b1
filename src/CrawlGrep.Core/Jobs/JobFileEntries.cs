using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace CrawlGrep.Core.Jobs;

/// <summary>One key of a job file with its value and the line it is on (1-based).</summary>
internal sealed record JobFileEntry(string Table, string Key, ValueSyntax Value, int Line)
{
    /// <summary>"name", "input.crawl": the key as <see cref="JobDefinition.Lines"/> names it.</summary>
    public string Dotted => Table == JobFileSchema.TopLevel ? Key : $"{Table}.{Key}";
}

/// <summary>
/// A job file's keys, read from Tomlyn's syntax tree rather than its object model: the tree keeps the line of every
/// key and value, so each error can name its line. Every key is checked against <see cref="JobFileSchema"/> here,
/// in the order of the file, so the first mistake in the file is the one reported.
/// </summary>
internal sealed class JobFileEntries
{
    private readonly string _file;
    private readonly Dictionary<string, JobFileEntry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _tables = new(StringComparer.Ordinal);

    private JobFileEntries(string file) => _file = file;

    /// <summary>The line of every key (dotted) and of every table header (its name).</summary>
    public Dictionary<string, int> Lines { get; } = new(StringComparer.Ordinal);

    /// <summary>The keys of <paramref name="text"/>; a <see cref="JobFileException"/> at the first syntax error or unknown or mistyped key.</summary>
    public static JobFileEntries Parse(string text, string file)
    {
        var document = SyntaxParser.Parse(text, file, validate: true);
        if (document.HasErrors)
        {
            // The earliest error: later ones are often echoes of it.
            var first = document.Diagnostics.Where(d => d.Kind == DiagnosticMessageKind.Error).MinBy(d => d.Span.Start.Offset)!;
            throw new JobFileException(file, LineOf(first.Span.Start), $"not valid TOML: {first.Message}");
        }
        var entries = new JobFileEntries(file);
        foreach (var kv in document.KeyValues) entries.AddKeyValue([], kv);
        foreach (var table in document.Tables) entries.AddTable(table);
        return entries;
    }

    /// <summary>The entry of a dotted key, or null when the file does not give it.</summary>
    public JobFileEntry? this[string dotted] => _entries.GetValueOrDefault(dotted);

    public bool Has(string dotted) => _entries.ContainsKey(dotted);

    /// <summary>Whether the file has table <paramref name="table"/>, by header or by a dotted key in it.</summary>
    public bool HasTable(string table) => _tables.ContainsKey(table) || _entries.Values.Any(e => e.Table == table);

    /// <summary>The line of a table's header, else of its first key, else 1.</summary>
    public int TableLine(string table) =>
        _tables.TryGetValue(table, out int line) ? line : _entries.Values.Where(e => e.Table == table).Select(e => e.Line).DefaultIfEmpty(1).Min();

    /// <summary>The 1-based line of a Tomlyn position (which counts from 0).</summary>
    public static int LineOf(TextPosition position) => position.Line + 1;

    /// <summary>The line a node starts on.</summary>
    public static int LineOf(SyntaxNode node) => LineOf(node.Span.Start);

    private void AddTable(TableSyntaxBase table)
    {
        int line = LineOf(table);
        var path = table.Name is null ? [] : Segments(table.Name);
        string name = string.Join('.', path);
        if (table is TableArraySyntax)
            throw Error(line, $"[[{name}]]: a job file has no arrays of tables (tables: {TableList()})");
        if (path.Count != 1 || !JobFileSchema.Tables.ContainsKey(name) || name == JobFileSchema.TopLevel)
            throw Error(line, $"unknown table [{name}] (tables: {TableList()}{Suggestion(name, JobFileSchema.TableNames, "[{0}]")})");
        if (!_tables.TryAdd(name, line))
            throw Error(line, $"table [{name}] is given twice (first on line {_tables[name]})");
        Lines.TryAdd(name, line);
        foreach (var kv in table.Items) AddKeyValue(path, kv);
    }

    private void AddKeyValue(IReadOnlyList<string> prefix, KeyValueSyntax kv)
    {
        if (kv.Key is null || kv.Value is null) return; // Only in a tree with syntax errors, which stopped above.
        var path = prefix.Concat(Segments(kv.Key)).ToList();
        // An inline table (input = { crawl = "latest" }) or dotted keys (input.crawl = ...) say the same as a [table].
        if (kv.Value is InlineTableSyntax inline)
        {
            if (path.Count == 1 && JobFileSchema.Tables.ContainsKey(path[0]))
            {
                if (!_tables.TryAdd(path[0], LineOf(kv))) throw Error(LineOf(kv), $"table [{path[0]}] is given twice (first on line {_tables[path[0]]})");
                Lines.TryAdd(path[0], LineOf(kv));
            }
            foreach (var item in inline.Items)
                if (item.KeyValue is { } inner) AddKeyValue(path, inner);
            return;
        }
        AddEntry(path, kv.Value, LineOf(kv));
    }

    private void AddEntry(List<string> path, ValueSyntax value, int line)
    {
        string table = path.Count == 1 ? JobFileSchema.TopLevel : path[0];
        if (!JobFileSchema.Tables.ContainsKey(table))
            throw Error(line, $"unknown table '{table}' in key '{string.Join('.', path)}' (tables: {TableList()}{Suggestion(table, JobFileSchema.TableNames, "[{0}]")})");
        string key = string.Join('.', path.Skip(table == JobFileSchema.TopLevel ? 0 : 1));
        if (table == JobFileSchema.TopLevel && JobFileSchema.Tables.ContainsKey(key))
            throw Error(line, $"'{key}' must be a table ([{key}]), not {Describe(value)}");
        if (JobFileSchema.KindOf(table, key) is not { } kind)
            throw Error(line, UnknownKey(table, key));
        var entry = new JobFileEntry(table, key, value, line);
        if (!_entries.TryAdd(entry.Dotted, entry))
            throw Error(line, $"'{entry.Dotted}' is given twice (first on line {_entries[entry.Dotted].Line})");
        Lines[entry.Dotted] = line;
        CheckKind(key, kind, value);
    }

    private static string UnknownKey(string table, string key)
    {
        var allowed = JobFileSchema.Tables[table].Select(k => k.Key).ToList();
        string message = $"unknown key '{key}' in {JobFileSchema.Describe(table)}";
        // A right key in the wrong table ("crawl" at the top level) is a likelier mistake than a typo.
        string? home = JobFileSchema.Tables.Keys.FirstOrDefault(t => t != table && JobFileSchema.KindOf(t, key) is not null);
        if (home is not null) message += $" (it belongs in {JobFileSchema.Describe(home)})";
        else if (JobFileSchema.Closest(key, allowed) is { } close) message += $" (did you mean '{close}'?)";
        return $"{message}; allowed keys: {string.Join(", ", allowed)}";
    }

    private void CheckKind(string key, JobValueKind kind, ValueSyntax value)
    {
        bool ok = kind switch
        {
            JobValueKind.String => value is StringValueSyntax,
            JobValueKind.Boolean => value is BooleanValueSyntax,
            JobValueKind.Integer => value is IntegerValueSyntax,
            JobValueKind.Number => value is IntegerValueSyntax or FloatValueSyntax,
            JobValueKind.Strings => value is ArraySyntax,
            JobValueKind.StringOrStrings => value is StringValueSyntax or ArraySyntax,
            _ => false,
        };
        if (!ok)
        {
            string expected = kind switch
            {
                JobValueKind.String => "a string",
                JobValueKind.Boolean => "true or false",
                JobValueKind.Integer => "an integer",
                JobValueKind.Number => "a number",
                JobValueKind.Strings => "an array of strings ([\"...\", ...])",
                _ => "a string or an array of strings",
            };
            throw Error(LineOf(value), $"'{key}' must be {expected}, not {Describe(value)}");
        }
        if (value is ArraySyntax array)
            foreach (var item in array.Items)
                if (item.Value is { } element and not StringValueSyntax)
                    throw Error(LineOf(element), $"'{key}' must hold only strings, not {Describe(element)}");
    }

    /// <summary>"a string", "an integer", ...: what a value is, for messages.</summary>
    public static string Describe(ValueSyntax value) => value switch
    {
        StringValueSyntax => "a string",
        IntegerValueSyntax => "an integer",
        FloatValueSyntax => "a float",
        BooleanValueSyntax => "a boolean",
        DateTimeValueSyntax => "a date",
        ArraySyntax => "an array",
        InlineTableSyntax => "a table",
        _ => "a value of another kind",
    };

    private static List<string> Segments(KeySyntax key)
    {
        var segments = new List<string> { Segment(key.Key) };
        foreach (var dotted in key.DotKeys) segments.Add(Segment(dotted.Key));
        return segments;
    }

    private static string Segment(BareKeyOrStringValueSyntax? key) => key switch
    {
        BareKeySyntax bare => bare.Key?.Text ?? "",
        StringValueSyntax quoted => quoted.Value ?? "",
        _ => "",
    };

    private static string TableList() => string.Join(", ", JobFileSchema.TableNames.Select(t => $"[{t}]"));

    private static string Suggestion(string word, IEnumerable<string> candidates, string format) =>
        JobFileSchema.Closest(word, candidates) is { } close ? $"; did you mean {string.Format(format, close)}?" : "";

    private JobFileException Error(int line, string problem) => new(_file, line, problem);
}
