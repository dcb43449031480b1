using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CrawlGrep.Core.Planning.Index;

/// <summary>
/// The SURT key Common Crawl sorts its indexes by (the first field of a CDX line, the <c>url_surtkey</c> column),
/// as webarchive-commons' <c>WaybackURLKeyMaker</c> makes it: Google's canonicalization (percent-escapes
/// normalized, dot segments and empty path segments removed, fragment dropped), then the Internet Archive's (host
/// lower-cased and stripped of <c>www.</c>, default port dropped, path and query lower-cased, session ids removed,
/// query arguments sorted, trailing slash dropped), the host reversed:
/// <c>https://www.Example.com/A/?b=2&amp;a=1</c> → <c>com,example)/a?a=1&amp;b=2</c>.
/// Not done: IDN hosts are not punycoded (their bytes stay percent-escaped UTF-8).
/// </summary>
public static partial class SurtKey
{
    /// <summary>The key of <paramref name="url"/>. Throws <see cref="FormatException"/> for a port that is not a number.</summary>
    public static string Of(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        string s = StraySpacing().Replace(url.Trim(), "");
        if (s.Length == 0) return "-";
        if (s.StartsWith("filedesc", StringComparison.Ordinal) || s.StartsWith("warcinfo", StringComparison.Ordinal)) return s;
        if (s.StartsWith("dns:", StringComparison.Ordinal)) return HostToSurt(s[4..]) + ")";
        if (!KnownScheme().IsMatch(s)) s = "http://" + s;
        s = ExtraSlashes().Replace(s, "$1$2");

        var m = UriParts().Match(s);
        if (!m.Success) throw new FormatException($"not a URL: {url}");
        string scheme = m.Groups[2].Value.ToLowerInvariant();
        string authority = m.Groups[5].Value;
        string path = m.Groups[6].Value;
        string? query = m.Groups[8].Success ? m.Groups[8].Value : null;

        // Authority: [user[:pass]@]host[:port]; user and password are dropped from keys.
        int at = authority.IndexOf('@');
        int colon = authority.IndexOf(':', Math.Max(at, 0));
        string host = colon < 0 ? authority[(at + 1)..] : authority[(at + 1)..colon];
        int port = -1;
        if (colon >= 0 && colon + 1 < authority.Length && !int.TryParse(authority.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port))
            throw new FormatException($"bad port in URL: {url}");

        // Google's canonicalization.
        if (query is not null) query = EscapeOnce(UnescapeRepeatedly(query));
        host = NormalizeDots(UnescapeRepeatedly(host));
        host = CanonicalIp(host) ?? EscapeOnce(host.ToLowerInvariant());
        path = EscapeOnce(NormalizePath(UnescapeRepeatedly(path)));

        // The Internet Archive's.
        while (WwwPrefix().Match(host) is { Success: true } www) host = host[www.Length..];
        if ((scheme == "http" && port == 80) || (scheme == "https" && port == 443)) port = -1;
        path = StripSessionIds(path.ToLowerInvariant(), PathSessionIds);
        if (path.Length > 1 && path.EndsWith('/')) path = path[..^1];
        if (query is not null)
        {
            query = SortArguments(StripSessionIds(query, QuerySessionIds).ToLowerInvariant());
            if (query.Length == 0) query = null;
        }

        var key = new StringBuilder(host.Length + path.Length + (query?.Length ?? 0) + 8);
        key.Append(HostToSurt(host));
        if (port != -1) key.Append(':').Append(port.ToString(CultureInfo.InvariantCulture));
        key.Append(')').Append(path);
        if (query is not null) key.Append('?').Append(query);
        return key.ToString();
    }

    /// <summary><c>www.example.com</c> → <c>com,example,www</c>.</summary>
    private static string HostToSurt(string host)
    {
        string[] parts = host.Split('.');
        if (parts.Length == 1) return host;
        Array.Reverse(parts);
        return string.Join(',', parts);
    }

    /// <summary>Leading and trailing dots dropped, runs of dots made one.</summary>
    private static string NormalizeDots(string host) => host.Contains('.') ? MultipleDots().Replace(host.Trim('.'), ".") : host;

    /// <summary>
    /// A host written as an IPv4 address in one of the forms Google's rules name (a 32-bit integer, four octal or
    /// four decimal parts), in dotted decimal; null for any other host.
    /// </summary>
    private static string? CanonicalIp(string host)
    {
        if (host.Length == 0) return null;
        if (host.All(char.IsAsciiDigit))
            return long.TryParse(host, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? Dotted(unchecked((uint)n)) : null;
        int radix = OctalIp().IsMatch(host) ? 8 : DecimalIp().IsMatch(host) ? 10 : 0;
        if (radix == 0) return null;
        uint ip = 0;
        foreach (string part in host.Split('.'))
        {
            int octet;
            try { octet = Convert.ToInt32(part, radix); }
            catch (Exception e) when (e is FormatException or OverflowException) { return null; }
            if (octet > 255) return null;
            ip = (ip << 8) | (uint)octet;
        }
        return Dotted(ip);

        static string Dotted(uint ip) => string.Create(CultureInfo.InvariantCulture, $"{ip >> 24}.{(ip >> 16) & 255}.{(ip >> 8) & 255}.{ip & 255}");
    }

    /// <summary>Dot segments resolved and empty segments dropped; a trailing slash is kept, an empty path is <c>/</c>.</summary>
    private static string NormalizePath(string path)
    {
        var kept = new List<string>();
        string[] segments = path.Split('/');
        for (int i = 1; i < segments.Length; i++) // the part before the first slash is not a segment
        {
            string p = segments[i];
            if (p == ".") continue;
            if (p == ".." && kept.Count > 0) kept.RemoveAt(kept.Count - 1);
            else kept.Add(p);
        }
        if (kept.Count == 0) return "/";
        var sb = new StringBuilder(path.Length + 1).Append('/');
        for (int i = 0; i < kept.Count - 1; i++)
            if (kept[i].Length > 0) sb.Append(kept[i]).Append('/');
        return sb.Append(kept[^1]).ToString();
    }

    private static string UnescapeRepeatedly(string input)
    {
        while (true)
        {
            string once = Unescape(input);
            if (once == input) return input;
            input = once;
        }
    }

    /// <summary>
    /// Decodes <c>%XX</c> escapes: ASCII ones to their character, runs of others as UTF-8; the escapes of bytes
    /// that are not UTF-8 stay as they were.
    /// </summary>
    private static string Unescape(string input)
    {
        if (!input.Contains('%')) return input;
        var sb = new StringBuilder(input.Length);
        var run = new List<byte>();
        int runStart = -1;
        int i = 0;
        while (i < input.Length)
        {
            if (input[i] == '%' && i <= input.Length - 3 && IsHex(input[i + 1]) && IsHex(input[i + 2]))
            {
                byte b = (byte)(HexValue(input[i + 1]) * 16 + HexValue(input[i + 2]));
                if (runStart < 0 && b < 0x80)
                {
                    sb.Append((char)b);
                }
                else
                {
                    if (runStart < 0) runStart = i;
                    run.Add(b);
                }
                i += 3;
                continue;
            }
            if (runStart >= 0)
            {
                AppendUtf8Run(sb, run, input, runStart);
                runStart = -1;
            }
            sb.Append(input[i]);
            i++;
        }
        if (runStart >= 0) AppendUtf8Run(sb, run, input, runStart);
        return sb.ToString();
    }

    private static void AppendUtf8Run(StringBuilder sb, List<byte> run, string input, int runStart)
    {
        var bytes = run.ToArray();
        int at = 0;
        while (at < bytes.Length)
        {
            var status = Rune.DecodeFromUtf8(bytes.AsSpan(at), out var rune, out int used);
            if (status == OperationStatus.Done) sb.Append(rune.ToString());
            else sb.Append(input, runStart + 3 * at, 3 * used); // malformed: its escapes as written
            at += used;
        }
        run.Clear();
    }

    /// <summary>
    /// Percent-escapes, as UTF-8, every byte that is a control, a space, non-ASCII, <c>#</c> or <c>%</c>; a <c>%</c>
    /// still followed by two hex digits is the escape of a non-UTF-8 byte and is kept as one escape, not escaped twice.
    /// </summary>
    private static string EscapeOnce(string input)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(input);
        var sb = new StringBuilder(bytes.Length + 8);
        for (int i = 0; i < bytes.Length; i++)
        {
            int b = bytes[i];
            if (b is > 32 and < 128 and not '#' and not '%')
            {
                sb.Append((char)b);
                continue;
            }
            if (b == '%' && i < bytes.Length - 2 && IsHex((char)bytes[i + 1]) && IsHex((char)bytes[i + 2]))
            {
                b = HexValue((char)bytes[i + 1]) * 16 + HexValue((char)bytes[i + 2]);
                i += 2;
            }
            sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>Arguments sorted by name, then value (an argument without <c>=</c> first), stably, as Java's sort.</summary>
    private static string SortArguments(string query)
    {
        if (query.Length <= 1) return query;
        var args = query.Split('&').Select(a => a.IndexOf('=') is int eq and >= 0 ? (Name: a[..eq], Value: a[(eq + 1)..]) : (Name: a, Value: (string?)null));
        var sorted = args.OrderBy(a => a.Name, StringComparer.Ordinal).ThenBy(a => a.Value, StringComparer.Ordinal);
        return string.Join('&', sorted.Select(a => a.Value is null ? a.Name : a.Name + "=" + a.Value));
    }

    /// <summary>A session-id pattern: applied where <see cref="Marker"/> occurs; removes group 1, or what lies between groups 1 and 2.</summary>
    private sealed record SessionId(Regex Pattern, string Marker, bool BetweenGroups);

    private static readonly SessionId[] PathSessionIds =
    [
        new(new(@"^.*/(\((?:[a-z]\([0-9a-z]{24}\))+\)/)[^\?]+\.aspx.*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant), ".aspx", false),
        new(new(@"^.*/(\([0-9a-z]{24}\)/)(?:[^\?]+\.aspx.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant), ".aspx", false),
    ];

    private static readonly SessionId[] QuerySessionIds =
    [
        new(new(@"^(.*)(?:jsessionid=[0-9a-zA-Z]{32})(?:&(.*))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant), "jsessionid=", true),
        new(new(@"^(.*)(?:phpsessid=[0-9a-zA-Z]{32})(?:&(.*))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant), "phpsessid=", true),
        new(new(@"^(.*)(?:sid=[0-9a-zA-Z]{32})(?:&(.*))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant), "sid=", true),
        new(new(@"^(.*)(?:ASPSESSIONID[a-zA-Z]{8}=[a-zA-Z]{24})(?:&(.*))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant), "aspsessionid", true),
        new(new(@"^(.*)(?:cfid=[^&]+&cftoken=[^&]+)(?:&(.*))?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant), "cftoken=", true),
    ];

    private static string StripSessionIds(string text, SessionId[] patterns)
    {
        string lower = text.ToLowerInvariant(); // markers are looked for in the text as given, as webarchive-commons does
        foreach (var p in patterns)
        {
            if (!lower.Contains(p.Marker, StringComparison.Ordinal)) continue;
            var m = p.Pattern.Match(text);
            if (!m.Success) continue;
            var one = m.Groups[1];
            if (!p.BetweenGroups) text = text.Remove(one.Index, one.Length);
            else if (m.Groups[2].Success) text = text.Remove(one.Index + one.Length, m.Groups[2].Index - (one.Index + one.Length));
            else text = text[..(one.Index + one.Length)];
        }
        return text;
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    [GeneratedRegex(@"[\n\r\t\u2028\u2029\u0085]+")]
    private static partial Regex StraySpacing();

    [GeneratedRegex(@"^(?:http|https|ftp|mms|rtsp|wais)://", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KnownScheme();

    [GeneratedRegex(@"^(https?://)/+(.*)$", RegexOptions.Singleline)]
    private static partial Regex ExtraSlashes();

    /// <summary>RFC 2396's regex (appendix B) with the scheme limited to scheme characters: 2 scheme, 5 authority, 6 path, 8 query.</summary>
    [GeneratedRegex(@"^(([a-zA-Z][a-zA-Z0-9+\-.]*):)?((//([^/?#]*))?([^?#]*)(\?([^#]*))?)?(#(.*))?$", RegexOptions.Singleline)]
    private static partial Regex UriParts();

    [GeneratedRegex(@"^www\d*\.")]
    private static partial Regex WwwPrefix();

    [GeneratedRegex(@"\.{2,}")]
    private static partial Regex MultipleDots();

    [GeneratedRegex(@"^0[0-7]*\.[0-7]+\.[0-7]+\.[0-7]+$")]
    private static partial Regex OctalIp();

    [GeneratedRegex(@"^[1-9][0-9]*\.[0-9]+\.[0-9]+\.[0-9]+$")]
    private static partial Regex DecimalIp();
}
