namespace CrawlGrep.Tests.Matching;

/// <summary>Where a known disagreement is confined: the lines or payloads it excuses.</summary>
[Flags]
public enum KnownWhere
{
    /// <summary>Every line: the pattern as a whole is not matched as ripgrep matches it.</summary>
    Everywhere = 0,
    /// <summary>Empty payloads (0 bytes).</summary>
    EmptyPayloads = 1,
    /// <summary>Lines that are not valid UTF-8 (Latin-1 or EUC-JP pages, binary bodies).</summary>
    InvalidUtf8Lines = 2,
    /// <summary>Lines holding a character outside the Basic Multilingual Plane (4-byte UTF-8, e.g. emoji).</summary>
    NonBmpLines = 4,
}

/// <summary>A disagreement of the current matcher with ripgrep: its cause, and where it shows.</summary>
public sealed record Known(string Cause, KnownWhere Where)
{
    public override string ToString() => Cause;
}

/// <summary>
/// One row of the differential table: rg flags (any of -F, -i, -w, space separated), a pattern in the
/// syntax .NET and Rust's regex read alike (no lookaround, no backreference), and what it exercises.
/// <para>Besides the set of matching lines, every match's byte offsets are compared (<see cref="CompareOffsets"/>),
/// except under -w, where ripgrep 13 finds the matches of a line through a wrapped regex of its own.</para>
/// <para><see cref="Known"/>: a disagreement of the current matcher with ripgrep. Disagreements where it
/// says (e.g. on lines that are not valid UTF-8) are printed, not failed; any other still fails. The
/// matcher rewrite is to remove the mark.</para>
/// </summary>
public sealed record DiffPattern(string Flags, string Pattern, string Exercises, Known? Known = null)
{
    /// <summary>
    /// ripgrep 13 and 14 differ on -w next to invalid UTF-8: 13 wraps the pattern in <c>(?:^|\W)..(?:$|\W)</c>,
    /// and \W matches only a valid (non-word) code point; 14 uses <c>\b{start-half}..\b{end-half}</c>, which
    /// takes an invalid byte for a non-word character (as the current matcher does). Disagreeing lines that
    /// are not valid UTF-8 are therefore left out for -w patterns: the reference itself is not fixed there.
    /// </summary>
    public const string WordNextToInvalidUtf8 =
        "ripgrep 13 and 14 differ on -w next to invalid UTF-8 (13: (?:^|\\W) needs a valid non-word code point; " +
        "14: \\b{start-half} takes an invalid byte for a non-word character)";

    /// <summary>Match offsets are compared too (leftmost-first in both engines), not only matching lines.</summary>
    public bool CompareOffsets => !WordRegexp;

    public bool FixedStrings => Has("-F");
    public bool IgnoreCase => Has("-i");
    public bool WordRegexp => Has("-w");

    private bool Has(string flag) => Flags.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(flag);

    public IEnumerable<string> RgArgs() => Flags.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Why a disagreement on this line is not a failure, or null when it is one.</summary>
    public string? Excuse(byte[] payload, long lineStart)
    {
        bool? valid = null;
        bool Valid() => valid ??= System.Text.Unicode.Utf8.IsValid(Line(payload, lineStart));
        if (WordRegexp && !Valid()) return WordNextToInvalidUtf8;
        if (Known is not { } k) return null;
        if (k.Where == KnownWhere.Everywhere) return $"KNOWN: {k.Cause}";
        if (k.Where.HasFlag(KnownWhere.EmptyPayloads) && payload.Length == 0) return $"KNOWN: {k.Cause}";
        if (k.Where.HasFlag(KnownWhere.InvalidUtf8Lines) && !Valid()) return $"KNOWN: {k.Cause}";
        if (k.Where.HasFlag(KnownWhere.NonBmpLines) && Line(payload, lineStart).IndexOfAnyInRange((byte)0xF0, (byte)0xF4) >= 0) return $"KNOWN: {k.Cause}";
        return null;
    }

    private static ReadOnlySpan<byte> Line(byte[] payload, long lineStart)
    {
        var rest = payload.AsSpan((int)Math.Min(lineStart, payload.Length));
        int nl = rest.IndexOf((byte)'\n');
        return nl < 0 ? rest : rest[..nl];
    }

    public override string ToString() => $"{(Flags.Length > 0 ? Flags + " " : "")}/{Pattern}/";
}

/// <summary>The patterns compared against ripgrep (see <see cref="RipgrepDifferentialTests"/>).</summary>
public static class RipgrepPatterns
{
    private static readonly Known NewerUnicode = new(
        "ripgrep 13 has the Unicode 14 tables, .NET 10 Unicode 16: a code point assigned since (U+14092, an Egyptian " +
        "hieroglyph, is a letter to .NET) is unassigned to ripgrep; seen where the bytes of a binary body decode to one",
        KnownWhere.InvalidUtf8Lines);

    public static IReadOnlyList<DiffPattern> All { get; } =
    [
        // Plain literals.
        new("", "the", "frequent ASCII literal"),
        new("", "crawlgrep", "planted token (generated corpus)"),
        new("", "Common Crawl", "literal with a space"),
        new("", "http://", "literal with punctuation"),
        new("", "</div>", "HTML closing tag"),
        new("", "café", "non-ASCII literal (é)"),
        new("", "über", "non-ASCII literal (ü)"),
        new("", "日本語", "CJK literal"),
        new("", "🚀", "emoji literal (4-byte UTF-8, a surrogate pair in UTF-16)"),
        new("", "Мона Лиза", "Cyrillic literal (real Wikipedia page)"),
        new("", "aaa", "self-overlapping literal: non-overlapping leftmost matches"),

        // -F: regex metacharacters are plain.
        new("-F", "e.g.", "-F with dots"),
        new("-F", "[0]", "-F with brackets"),
        new("-F", "$(", "-F with a dollar and a parenthesis"),
        new("-F", "?utm_", "-F with a question mark"),
        new("-F", "Straße", "-F non-ASCII"),

        // -i, ASCII and not.
        new("-i", "crawlgrep", "-i literal (planted CrawlGrep / crawlgrep)"),
        new("-i", "lorem ipsum", "-i phrase"),
        new("-i", "KITCHEN", "-i with k and s (letters with non-ASCII case forms: the Kelvin sign, the long s)"),
        new("-i", "CAFÉ", "-i non-ASCII (É/é)"),
        new("-i", "MÜLLER", "-i non-ASCII (Ü/ü)"),
        new("-i", "ПОИСК", "-i Cyrillic"),
        new("-i", "ÉTÉ", "-i accented word"),
        new("-i -F", "WWW.", "-i -F"),

        // -w.
        new("-w", "the", "-w frequent word"),
        new("-w", "in", "-w short word that is a prefix of many"),
        new("-w", "über", "-w non-ASCII word"),
        new("-w -i", "html", "-w -i"),
        new("-w", @"\d{4}", "-w regex: four-digit numbers"),
        new("-w -F", "of the", "-w -F phrase"),
        new("-w", "the|and|of|to|in|a", "-w alternation of common words, several per line, 'a' and 'in' inside many words"),
        new("-w", "data|database|date|dat", "-w alternatives that are prefixes of each other: the first that ends at a word edge"),
        new("-w", "über|café|Straße|the", "-w words with non-ASCII letters, and words beside non-ASCII neighbours"),
        new("-w", "à|日本|é", "-w on non-ASCII words: neighbours inside words"),
        new("-w", "html|body|head|div|span", "-w tag names: at line start and end, beside < / >"),
        new("-w -i", "the|and|html|www", "-w -i word set"),
        new("-w -F", "e.g.", "-w -F ending in a non-word character"),
        new("-w", "aa|aaa", "-w overlapping alternatives of one letter"),
        new("-w", "caf|Stra|Gr|the|M|ber", "-w ASCII words beside non-ASCII letters (café, Straße, Größe, Müller, über): the regex decides those lines"),
        new("-w", "the|of|and|html|div|class|a|2024", "-w ASCII word list: matched by whole-word lookup"),
        new("-w -i", "THE|Of|HTML|Div", "-w -i ASCII word list"),

        // Alternations.
        new("", "coffee|bread|cheese", "3-way alternation"),
        new("", "football|tennis|basketball|match|team|season|league|player", "8-way alternation"),
        new("", "Müller|Größe|Frühstück", "non-ASCII alternation"),
        new("", "the|and|of|to|a|in", "alternation of common words: many matches per line, leftmost-first"),
        new("", "the|there|then|th", "alternatives that are prefixes of others: the first alternative wins at a position"),
        new("", "there|the|th", "prefix alternatives the other way round: the longer one first"),
        new("", "aa|aaa|a", "overlapping alternatives of one letter"),
        new("", "div|<div|class=", "overlapping alternatives: non-overlapping matches, leftmost-first"),
        new("-i", "the|html|www|div", "-i alternation"),
        new("-i -F", "the", "-i -F common word, many per line"),
        new("-F", "|", "-F: the bar is a literal"),
        new("", "colou?r", "optional character"),
        new("", "(🚀|🎉) [a-z]+", "emoji alternation then a word"),

        // Character classes.
        new("", "[0-9]{3}-[0-9]{4}", "digit classes with counted repetition"),
        new("", "[A-Z][a-z]+ [A-Z][a-z]+", "capitalised word pairs"),
        new("", "[àâçéèêëîïôûùüÿñæœ]", "class of accented letters"),
        new("", @"[\u3040-\u30FF]+", "kana range by \\u escape"),
        new("", @"\p{Lu}\p{Ll}+", "Unicode general categories"),
        new("", @"[^\x00-\x7F]", "any non-ASCII character: an emoji is one, not two surrogate halves"),
        new("", "[^ ]+", "runs of a negated class: a match stops before invalid UTF-8, as ripgrep's does"),
        new("", "[^a-z<> ]{3,}", "a negated class counted"),
        new("", "[🚀🎉✨]", "class of emoji: its members are code points, not surrogate halves"),
        new("", "[😀-🙏]", "range of emoji (one high surrogate; .NET alone rejects it as a reversed range)"),
        new("", "[^a-zA-Z ]", "negated class: any other code point, astral ones whole"),

        // Anchors.
        new("", "^<", "line start"),
        new("", ">$", "line end (a CRLF line ends in \\r, not >)"),
        new("", @"\r$", "CR before the line end: \\r is an ordinary byte"),
        new("", @"^\s*$", "blank lines, including \\r-only lines"),
        new("", "^$", "empty lines"),
        new("", "^[A-Z][a-z]+:", "header-like line start"),

        // Repetition.
        new("", @"\d{4}-\d{2}-\d{2}", "dates"),
        new("", "[aeiou]{4,}", "open-ended count"),
        new("", "<h[1-6]>", "class in a tag"),
        new("", @"https?://[a-z0-9.-]+\.(com|org|net)\b", "URL-like with group and \\b"),
        new("", @"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", "e-mail pattern"),
        new("", @"\+1-555-01\d\d", "planted phone numbers"),
        new("", "^x*", "pattern that matches the empty string: every line"),

        // Escapes.
        new("", @"caf\u00e9", "\\u escape outside a class"),
        new("", @"<\x2Fhtml>", "\\x escape outside a class"),
        new("", @"\bthe\b", "\\b word boundaries"),
        new("", @"\w+@\w+\.\w+", "\\w (Unicode in both)"),
        new("", @"\t\S", "tab then non-space"),
        new("", @"\d+(\.\d+)?%", "\\d (Unicode in both) and a group"),
        new("", @"\s{3,}\w", "\\s runs"),

        // Dots.
        new("", "C.awl", "dot inside a word"),
        new("", @"\s.\s", "one character between spaces, an emoji too"),
        new("", @"\s.{3}\s", "dot counts code points: three-character words, emoji included"),
        new("", "<title>.*</title>", "greedy dot"),
        new("", "caf.", "dot after a literal"),
        new("", @"\S{40,}", "long non-space runs"),

        // Characters outside the BMP (surrogate pairs in .NET).
        new("", "🚀+", "a quantifier after an emoji repeats all of it"),
        new("", @"\s\W\s", "\\W takes an emoji whole"),
        new("", @"\P{L}{2}", "negated category with a count: emoji are not letters", Known: NewerUnicode),
        new("", @"\S+ [🎉👍] \S+", "\\S+ runs around an emoji"),
    ];

    public static DiffPattern Find(string flags, string pattern) =>
        All.Single(p => p.Flags == flags && p.Pattern == pattern);
}
