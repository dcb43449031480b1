namespace CrawlGrep.Core.Generation;

internal enum PageKind { Html, Redirect, NotFound, Pdf, Image }

/// <summary>A language of generated text, with the names CLD2 reports for it in CC's metadata records.</summary>
internal sealed record PageLanguage(string Code, string Iso3, string Name, string[] Words, byte[][] WordBytes);

/// <summary>A host of the synthetic crawl.</summary>
internal sealed record SiteHost(string Name, string Ip, PageLanguage Language, bool Https, string SiteName,
    string Server, bool LowercaseHeaders, string HtmlContentType, SiteTemplate Template);

/// <summary>A link as the WAT lists it: <c>A@/href</c>, <c>IMG@/src</c>, <c>LINK@/href</c>, <c>SCRIPT@/src</c>.</summary>
internal readonly record struct PageLink(string Path, string Url, string? Text, string? Rel);

/// <summary>One fetched page: everything the WARC, WET and WAT records of it are built from. Reused between pages.</summary>
internal sealed class GeneratedPage
{
    public PageKind Kind;
    public SiteHost Host = null!;
    public string Url = "";
    public string PathAndQuery = "";
    public int Status;
    public string Reason = "";
    /// <summary>WARC-Identified-Payload-Type.</summary>
    public string MimeType = "";
    public DateTime Date;
    public DateTime? IfModifiedSince;
    public int FetchTimeMs;
    public string Title = "";
    public string Description = "";
    public PageLanguage Language = null!;
    public PageLanguage? SecondLanguage;
    public int TextCoveredPercent;
    public readonly ByteBuffer Body = new(96 * 1024);
    /// <summary>The visible text, one line per block element, as CC's WET conversion writes it.</summary>
    public readonly ByteBuffer Text = new(64 * 1024);
    public readonly List<KeyValuePair<string, string>> RequestHeaders = new(8);
    public readonly List<KeyValuePair<string, string>> ResponseHeaders = new(12);
    public readonly List<PageLink> Links = new(64);
    public readonly List<PageLink> HeadLinks = new(4);
    public readonly List<KeyValuePair<string, string>> Metas = new(4);

    public bool IsHtml200 => Kind == PageKind.Html;

    /// <summary>ISO 639-3 codes of the text's languages, comma-separated (<c>deu,eng</c>), as CC's WET and index list them.</summary>
    public string LanguageCodes => SecondLanguage is null ? Language.Iso3 : Language.Iso3 + "," + SecondLanguage.Iso3;

    /// <summary>The value of a response header, whatever the case of its name; null when absent.</summary>
    public string? ResponseHeader(string name)
    {
        foreach (var (n, value) in ResponseHeaders)
            if (n.Equals(name, StringComparison.OrdinalIgnoreCase)) return value;
        return null;
    }

    public void Reset()
    {
        Body.Clear();
        Text.Clear();
        RequestHeaders.Clear();
        ResponseHeaders.Clear();
        Links.Clear();
        HeadLinks.Clear();
        Metas.Clear();
        Title = Description = "";
        SecondLanguage = null;
        IfModifiedSince = null;
        TextCoveredPercent = 0;
    }
}
