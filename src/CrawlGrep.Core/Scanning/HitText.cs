using System.Text;
using System.Text.RegularExpressions;

namespace CrawlGrep.Core.Scanning;

/// <summary>Builds the text columns of a hit: capped match, context window, host, crawl name.</summary>
public static partial class HitText
{
    /// <summary>UTF-8 text of <paramref name="bytes"/> cut to at most <paramref name="max"/> bytes on a character boundary.</summary>
    public static string Capped(ReadOnlySpan<byte> bytes, int max)
    {
        if (bytes.Length > max) bytes = bytes[..CharBoundaryBefore(bytes, max)];
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>The line around a match: up to <paramref name="side"/> bytes each side, without CR/LF.</summary>
    public static string Context(ReadOnlySpan<byte> line, int matchStart, int matchLength, int side, int maxMatch)
    {
        int from = Math.Max(0, matchStart - side);
        int to = Math.Min(line.Length, matchStart + Math.Min(matchLength, maxMatch) + side);
        from = CharBoundaryAfter(line, from);
        to = CharBoundaryBefore(line, to);
        var s = Encoding.UTF8.GetString(line[from..to]);
        return s.Replace('\r', ' ').Replace('\n', ' ');
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
