namespace CrawlGrep.Core.Scanning;

/// <summary>Builds the text columns of a hit: capped match, context window, host, crawl name.</summary>
public static class HitText
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

    /// <summary>
    /// The first Common Crawl crawl name (CC-MAIN-2024-22: four digits, a dash, two digits, no digit after them) in a
    /// path or warcinfo text, or null. Read by hand, not by a regex: every scan asks, and a regex's first use costs a
    /// framework-dependent build milliseconds of start-up.
    /// </summary>
    public static string? Crawl(string? text)
    {
        if (text is null) return null;
        const string Prefix = "CC-MAIN-";
        const int Length = 15; // CC-MAIN-dddd-dd
        for (int at = text.IndexOf(Prefix, StringComparison.Ordinal); at >= 0; at = text.IndexOf(Prefix, at + 1, StringComparison.Ordinal))
        {
            if (at + Length > text.Length) return null;
            var name = text.AsSpan(at, Length);
            if (char.IsAsciiDigit(name[8]) && char.IsAsciiDigit(name[9]) && char.IsAsciiDigit(name[10]) && char.IsAsciiDigit(name[11])
                && name[12] == '-' && char.IsAsciiDigit(name[13]) && char.IsAsciiDigit(name[14])
                && (at + Length == text.Length || !char.IsAsciiDigit(text[at + Length])))
                return name.ToString();
        }
        return null;
    }
}
