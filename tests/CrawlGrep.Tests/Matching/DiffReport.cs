using System.Text;

namespace CrawlGrep.Tests.Matching;

/// <summary>
/// Collects the disagreements of one comparison (CrawlGrep against ripgrep) and writes them so a
/// reader sees the pattern, the record, the line and both sides' text without opening any file.
/// A disagreement is a failure, or excused (a known one, or one where the reference is not fixed)
/// and then listed apart with its reason.
/// </summary>
internal sealed class DiffReport(string what)
{
    private const int ShownPerKind = 10;
    private const int TextWidth = 160;

    private readonly SortedDictionary<string, List<string>> _failures = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, List<string>> _excused = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failedRecords = new(StringComparer.Ordinal);

    /// <summary>Disagreements that fail the comparison.</summary>
    public int Failures { get; private set; }
    /// <summary>Disagreements excused, with the reasons in <see cref="ToString"/>.</summary>
    public int Excused { get; private set; }
    public long OurLines { get; set; }
    public long TheirLines { get; set; }
    public int RecordsWithLines { get; set; }
    public long Timeouts { get; set; }

    public bool Agrees => Failures == 0 && Timeouts == 0;

    /// <summary>A line one side reports and the other does not.</summary>
    public void LineOnlyIn(string side, PayloadRecord record, long lineStart, string? excuse)
    {
        Add($"matched only by {side}", excuse, record, () =>
            $"  line {LineNumber(record.Payload, lineStart)} (offset {lineStart}) matched only by {side}: {LineText(record.Payload, lineStart)}\n" +
            $"    in {record.Describe()}");
    }

    /// <summary>Both sides match the line, but at different offsets.</summary>
    public void OffsetsDiffer(PayloadRecord record, long lineStart, IEnumerable<(long Start, long End)> ours, IEnumerable<(long Start, long End)> theirs, string? excuse)
    {
        Add("match offsets differ", excuse, record, () =>
            $"  line {LineNumber(record.Payload, lineStart)} (offset {lineStart}): match offsets differ: " +
            $"crawlgrep [{Spans(ours)}], rg [{Spans(theirs)}]: {LineText(record.Payload, lineStart)}\n" +
            $"    in {record.Describe()}");
    }

    private void Add(string kind, string? excuse, PayloadRecord record, Func<string> text)
    {
        if (excuse is null) { Failures++; _failedRecords.Add(record.Key); }
        else Excused++;
        var groups = excuse is null ? _failures : _excused;
        string key = excuse is null ? kind : $"{kind}, excused: {excuse}";
        if (!groups.TryGetValue(key, out var list)) groups[key] = list = new List<string>();
        list.Add(list.Count < ShownPerKind ? text() : "");
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append($"{what}: crawlgrep {OurLines} matching lines, rg {TheirLines} matching lines (in {RecordsWithLines} records)");
        if (Timeouts > 0) sb.Append($"; crawlgrep abandoned {Timeouts} line(s) on regex timeout");
        if (Excused > 0) sb.Append($"; {Excused} excused disagreement(s), listed below");
        sb.Append((Failures, Excused) switch
        {
            (0, 0) => "; they agree",
            (0, _) => "; no other disagreement",
            _ => $"; {Failures} failing disagreement(s) in {_failedRecords.Count} record(s)",
        });
        sb.AppendLine(Failures + Excused > 0 ? ":" : "");
        foreach (var (kind, list) in _failures.Concat(_excused))
        {
            sb.AppendLine(list.Count > ShownPerKind ? $" {kind}: {list.Count} lines, the first {ShownPerKind}:" : $" {kind}: {list.Count} line(s):");
            foreach (string item in list.Take(ShownPerKind)) sb.AppendLine(item);
        }
        return sb.ToString().TrimEnd();
    }

    private static string Spans(IEnumerable<(long Start, long End)> spans) => string.Join(", ", spans.Select(s => $"{s.Start}..{s.End}"));

    public static long LineNumber(byte[] payload, long lineStart) =>
        1 + payload.AsSpan(0, (int)Math.Min(lineStart, payload.Length)).Count((byte)'\n');

    /// <summary>The line at <paramref name="lineStart"/>, decoded, with controls escaped, cut to a bounded width.</summary>
    public static string LineText(byte[] payload, long lineStart)
    {
        int start = (int)Math.Min(lineStart, payload.Length);
        int nl = payload.AsSpan(start).IndexOf((byte)'\n');
        int end = nl < 0 ? payload.Length : start + nl;
        string text = Encoding.UTF8.GetString(payload, start, Math.Min(end - start, TextWidth * 4));
        var sb = new StringBuilder("\"");
        int shown = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (shown++ >= TextWidth) { sb.Append("\"…"); return sb.Append($" ({end - start} bytes)").ToString(); }
            if (rune.Value == '\r') sb.Append("\\r");
            else if (rune.Value == '\t') sb.Append("\\t");
            else if (rune.Value == '"') sb.Append("\\\"");
            else if (Rune.IsControl(rune)) sb.Append($"\\x{rune.Value:X2}");
            else sb.Append(rune.ToString());
        }
        return sb.Append('"').ToString();
    }
}
