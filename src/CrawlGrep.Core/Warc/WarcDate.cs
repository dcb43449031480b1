using System.Globalization;
using System.Text;

namespace CrawlGrep.Core.Warc;

/// <summary>Parses WARC-Date values as real archives write them (W3C-ISO8601, sometimes truncated or offset).</summary>
public static class WarcDate
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", "yyyy-MM-dd'T'HH:mm'Z'",
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd", "yyyyMMddHHmmss", "yyyy-MM-dd'T'HH:mm:sszzz",
    ];

    public static DateTime? Parse(ReadOnlySpan<byte> v)
    {
        if (v.IsEmpty || v.Length > 64) return null;
        Span<char> c = stackalloc char[v.Length];
        int n = Encoding.ASCII.GetChars(v, c);
        if (DateTime.TryParseExact(c[..n], Formats, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d))
            return DateTime.SpecifyKind(d, DateTimeKind.Utc);
        // e.g. "-0700" zones without a colon
        if (DateTimeOffset.TryParse(c[..n], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var o))
            return o.UtcDateTime;
        return null;
    }
}
