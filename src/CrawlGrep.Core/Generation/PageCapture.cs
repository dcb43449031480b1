using System.Globalization;
using CrawlGrep.Core.Planning.Index;

namespace CrawlGrep.Core.Generation;

/// <summary>The CDX entry of a generated page's response record, with the values Common Crawl's crawler gives it.</summary>
internal static class PageCapture
{
    public static CdxRecord Cdx(GeneratedPage page, WrittenRecord response, string payloadDigest, string warcName) => new()
    {
        UrlKey = SurtKey.Of(page.Url),
        Timestamp = page.Date.ToString(CdxLine.TimestampFormat, CultureInfo.InvariantCulture),
        Url = page.Url,
        Mime = MediaType(page.ResponseHeader("Content-Type")),
        MimeDetected = page.MimeType,
        Status = page.Status,
        Digest = payloadDigest.StartsWith("sha1:", StringComparison.Ordinal) ? payloadDigest[5..] : payloadDigest,
        Length = response.Length,
        Offset = response.Offset,
        Filename = warcName,
        // The charset and languages CC detects in HTML, as the page's metadata record states them.
        Charset = page.Kind == PageKind.Html ? "UTF-8" : null,
        Languages = page.Kind == PageKind.Html ? page.LanguageCodes : null,
        Redirect = page.Status is >= 300 and < 400 and not 304 ? page.ResponseHeader("Location") : null,
    };

    /// <summary>The media type of a Content-Type, cut at ';' or ' ' as CC's crawler cuts it; <c>unk</c> when there is none.</summary>
    private static string MediaType(string? contentType)
    {
        if (contentType is null) return "unk";
        int cut = contentType.IndexOfAny([';', ' ']);
        string type = cut < 0 ? contentType : contentType[..cut];
        return type.Length == 0 ? "unk" : type;
    }
}
