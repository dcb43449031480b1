using System.Text;

namespace CrawlGrep.Core.Matching;

/// <summary>
/// Finds a literal that every match of a .NET regex must contain, by a conservative walk of the
/// pattern text: only top-level runs of plain characters that no quantifier makes optional.
/// Anything it does not understand ends the run; a top-level alternation means no literal.
/// </summary>
public static class LiteralExtractor
{
    /// <summary>The longest required literal, or null when none can be proven.</summary>
    public static string? RequiredLiteral(string pattern, bool ignoreCase)
    {
        if (pattern.Contains("(?x", StringComparison.Ordinal) || pattern.Contains("(?i", StringComparison.Ordinal) && !ignoreCase)
            return null; // whitespace mode or inline case-insensitivity change what characters mean
        var runs = new List<string>();
        var cur = new StringBuilder();
        int depth = 0;
        int i = 0;
        void EndRun() { if (cur.Length > 0) runs.Add(cur.ToString()); cur.Clear(); }

        while (i < pattern.Length)
        {
            char c = pattern[i];
            if (c == '|' ) { if (depth == 0) return null; i++; continue; }
            if (c == '(') { depth++; EndRun(); i++; continue; }
            if (c == ')') { depth = Math.Max(0, depth - 1); EndRun(); i = SkipQuantifier(pattern, i + 1, out _); continue; }
            if (c == '[') { EndRun(); i = SkipClass(pattern, i); i = SkipQuantifier(pattern, i, out _); continue; }
            if (depth > 0) { i += c == '\\' ? 2 : 1; continue; }

            // A single literal character, possibly escaped.
            int next;
            char? lit;
            if (c == '\\')
            {
                if (i + 1 >= pattern.Length) return null;
                char e = pattern[i + 1];
                lit = char.IsLetterOrDigit(e) ? null : e; // \d, \w, \x41, \1 ... are not plain characters
                if (e is 't') lit = '\t';
                next = i + 2;
            }
            else if (".^$*+?{}".Contains(c)) { lit = null; next = i + 1; }
            else { lit = c; next = i + 1; }

            if (char.IsSurrogate(c) && i + 1 < pattern.Length) next = i + 2;
            int after = SkipQuantifier(pattern, next, out bool optional);
            bool quantified = after != next;
            if (lit is null || optional)
            {
                EndRun();
            }
            else
            {
                cur.Append(pattern, i, next - i == 2 && c == '\\' ? 0 : next - i);
                if (c == '\\') cur.Append(lit.Value);
                if (quantified) EndRun(); // "ab+" requires "ab", but the run cannot continue past the repeat
            }
            i = after;
        }
        EndRun();

        string? best = null;
        foreach (var run in runs)
            foreach (var part in ignoreCase ? SplitCaseUnsafe(run) : [run])
                if (part.Length > (best?.Length ?? 0)) best = part;
        return best;
    }

    /// <summary>
    /// Under -i, .NET and ripgrep match 'k' to the Kelvin sign and 's' to the long s, and non-ASCII
    /// letters have many forms: the prefilter only uses ASCII runs without those letters.
    /// </summary>
    private static IEnumerable<string> SplitCaseUnsafe(string run)
    {
        var sb = new StringBuilder();
        foreach (char ch in run)
        {
            if (ch > 0x7F || ch is 'k' or 'K' or 's' or 'S') { if (sb.Length > 0) yield return sb.ToString(); sb.Clear(); }
            else sb.Append(ch);
        }
        if (sb.Length > 0) yield return sb.ToString();
    }

    private static int SkipClass(string p, int i)
    {
        int j = i + 1;
        if (j < p.Length && p[j] == '^') j++;
        if (j < p.Length && p[j] == ']') j++;
        while (j < p.Length && p[j] != ']')
        {
            if (p[j] == '\\') j++;
            else if (p[j] == '[' && j + 1 < p.Length && p[j + 1] == ':') { int k = p.IndexOf(":]", j + 2, StringComparison.Ordinal); if (k > 0) j = k + 1; }
            j++;
        }
        return Math.Min(p.Length, j + 1);
    }

    /// <summary>Skips a quantifier at <paramref name="i"/>; <paramref name="optional"/> when it allows zero repeats.</summary>
    private static int SkipQuantifier(string p, int i, out bool optional)
    {
        optional = false;
        if (i >= p.Length) return i;
        char c = p[i];
        int j = i;
        if (c is '*' or '?') { optional = true; j++; }
        else if (c == '+') j++;
        else if (c == '{')
        {
            int close = p.IndexOf('}', i);
            if (close < 0) return i;
            var body = p.AsSpan(i + 1, close - i - 1);
            int comma = body.IndexOf(',');
            var min = comma < 0 ? body : body[..comma];
            if (!int.TryParse(min, out int m)) return i; // not a quantifier: "{" is literal... but be safe
            optional = m == 0;
            j = close + 1;
        }
        else return i;
        if (j < p.Length && p[j] is '?' or '+') j++; // lazy / possessive suffix
        return j;
    }
}
