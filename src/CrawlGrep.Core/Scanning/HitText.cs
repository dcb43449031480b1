using System.Text.RegularExpressions;

namespace CrawlGrep.Core.Scanning;

/// <summary>Builds the text columns of a hit: capped match, context window, host, crawl name.</summary>
public static partial class HitText
{
    /// <summary>
    /// The match's text, <paramref name="bytes"/> cut to at most <paramref name="max"/> bytes on a character boundary, appended
    /// to <paramref name="text"/> as valid UTF-8; where it lies there.
    /// </summary>
    public static Range AppendCapped(ReadOnlySpan<byte> bytes, int max, TextArena text) => text.AppendValid(CappedBytes(bytes, max), lineBreaksToSpaces: false);

    private static ReadOnlySpan<byte> CappedBytes(ReadOnlySpan<byte> bytes, int max) =>
        bytes.Length > max ? bytes[..CharBoundaryBefore(bytes, max)] : bytes;

    /// <summary>
    /// The line around a match: up to <paramref name="side"/> bytes each side, without CR/LF, appended to
    /// <paramref name="text"/> as valid UTF-8; where it lies there.
    /// </summary>
    public static Range AppendContext(ReadOnlySpan<byte> line, int matchStart, int matchLength, int side, int maxMatch, TextArena text) =>
        text.AppendValid(ContextBytes(line, matchStart, matchLength, side, maxMatch), lineBreaksToSpaces: true);

    private static ReadOnlySpan<byte> ContextBytes(ReadOnlySpan<byte> line, int matchStart, int matchLength, int side, int maxMatch)
    {
        int from = Math.Max(0, matchStart - side);
        int to = Math.Min(line.Length, matchStart + Math.Min(matchLength, maxMatch) + side);
        from = CharBoundaryAfter(line, from);
        to = CharBoundaryBefore(line, to);
        return line[from..to];
    }

    private static int CharBoundaryBefore(ReadOnlySpan<byte> s, int i)
    {
        while (i > 0 && i < s.Length && (s[i] & 0xC0) == 0x80) i--;
        return i;
    }

    private static int CharBoundaryAfter(ReadOnlySpan<byte> s, int i)
    {
        while (i < s.Length && i > 0 && (s[i] & 0xC0) == 0x80) i++;
        return i;
    }

    /// <summary>Lower-case host of a URI, or null.</summary>
    public static string? Host(string? uri)
    {
        if (string.IsNullOrEmpty(uri)) return null;
        if (Uri.TryCreate(uri, UriKind.Absolute, out var u) && !string.IsNullOrEmpty(u.Host)) return u.IdnHost.ToLowerInvariant();
        int scheme = uri.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0) return null;
        var rest = uri.AsSpan(scheme + 3);
        int end = rest.IndexOfAny("/?#"); if (end >= 0) rest = rest[..end];
        int at = rest.LastIndexOf('@'); if (at >= 0) rest = rest[(at + 1)..];
        int colon = rest.LastIndexOf(':'); if (colon >= 0 && !rest.Contains(']')) rest = rest[..colon];
        return rest.IsEmpty ? null : rest.ToString().ToLowerInvariant();
    }

    [GeneratedRegex(@"CC-MAIN-\d{4}-\d{2}(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex CrawlName();

    /// <summary>A Common Crawl crawl name (CC-MAIN-2024-22) in a path or warcinfo text, or null.</summary>
    public static string? Crawl(string? text) => text is null ? null : CrawlName().Match(text) is { Success: true } m ? m.Value : null;
}
