using System.Globalization;
using System.Text;

namespace CrawlGrep.Core.Generation;

/// <summary>
/// Builds the pages of a synthetic crawl from one seeded <see cref="Random"/>: hosts, URLs, HTTP headers,
/// HTML bodies with their visible text and links (PageGenerator.Html.cs, on site templates from PageGenerator.Sites.cs),
/// PDFs, images, redirects and 404s.
/// </summary>
internal sealed partial class PageGenerator
{
    private const int MinHtmlBytes = 2 * 1024;
    private const int MaxHtmlBytes = 60 * 1024;

    private static readonly string[] Servers =
        ["nginx", "nginx/1.24.0", "Apache", "Apache/2.4.58 (Ubuntu)", "cloudflare", "Microsoft-IIS/10.0", "LiteSpeed", "openresty"];

    private static readonly string[] Sections = ["news", "blog", "about", "products", "events", "contact", "help", "archive", "shop", "forum"];

    private const string Lorem =
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore " +
        "magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat.";

    private static readonly byte[] JpegHeader = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x48, 0x00, 0x48, 0x00, 0x00];
    private static readonly byte[] JpegEnd = [0xFF, 0xD9];
    private static readonly byte[] PdfMagic = [(byte)'%', (byte)'P', (byte)'D', (byte)'F', (byte)'-', (byte)'1', (byte)'.', (byte)'4', (byte)'\n', (byte)'%', 0xE2, 0xE3, 0xCF, 0xD3, (byte)'\n'];

    private readonly Random _rng;
    private readonly PageLanguage _english;
    private readonly PageLanguage[] _languages;
    private readonly string[] _englishAscii;
    private readonly string[] _sprinkles;
    private readonly SiteHost[] _hosts;
    /// <summary>English word indexes with a Zipf-like skew: the list starts with the most frequent words.</summary>
    private readonly int[] _zipf = new int[4096];
    private DateTime _clock;
    private GeneratedPage _page = null!;

    // Planted items still to place on the current page.
    private int _pendingCrawlgrep, _pendingMixedCase, _pendingEmail, _pendingPhone, _pendingLorem;

    /// <summary>Occurrences planted so far, indexed like <see cref="PlantedTokens.Keys"/>.</summary>
    public readonly long[] PlantedCounts = new long[5];

    public PageGenerator(Random rng, DateTime start, int hostCount = 200)
    {
        _rng = rng;
        _clock = start;
        _english = Language("en", "eng", "ENGLISH", WordLists.English);
        _languages =
        [
            _english,
            Language("de", "deu", "GERMAN", WordLists.German),
            Language("fr", "fra", "FRENCH", WordLists.French),
            Language("es", "spa", "SPANISH", WordLists.Spanish),
            Language("ja", "jpn", "JAPANESE", WordLists.Japanese),
            Language("ru", "rus", "RUSSIAN", WordLists.Russian),
            Language("zh", "zho", "CHINESE", WordLists.Chinese),
        ];
        _englishAscii = _english.Words;
        for (int i = 0; i < _zipf.Length; i++)
            _zipf[i] = (int)(_englishAscii.Length * Math.Pow((i + 0.5) / _zipf.Length, 2.2));
        _sprinkles = WordLists.Split(WordLists.Sprinkles);
        _hosts = MakeHosts(hostCount);
    }

    public IReadOnlyList<SiteHost> Hosts => _hosts;

    private static PageLanguage Language(string code, string iso3, string name, string words)
    {
        var list = WordLists.Split(words);
        return new PageLanguage(code, iso3, name, list, list.Select(w => Encoding.UTF8.GetBytes(w)).ToArray());
    }

    // ---------------------------------------------------------------- hosts

    private SiteHost[] MakeHosts(int count)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var hosts = new SiteHost[count];
        string[] prefixes = ["www.", "www.", "www.", "www.", "www.", "www.", "", "", "", "blog.", "news.", "shop.", "forum."];
        for (int i = 0; i < count; i++)
        {
            string label, name, tld;
            do
            {
                string a = _englishAscii[_rng.Next(_englishAscii.Length)];
                label = _rng.Next(3) switch
                {
                    0 => a,
                    1 => a + _englishAscii[_rng.Next(_englishAscii.Length)],
                    _ => a + "-" + _englishAscii[_rng.Next(_englishAscii.Length)],
                };
                if (_rng.Next(8) == 0) label += _rng.Next(10, 100).ToString(CultureInfo.InvariantCulture);
                tld = WordLists.Tlds[_rng.Next(WordLists.Tlds.Length)];
                name = prefixes[_rng.Next(prefixes.Length)] + label + "." + tld;
            } while (!names.Add(name));

            PageLanguage lang = tld switch
            {
                "de" => _rng.Next(100) < 85 ? _languages[1] : _english,
                "fr" => _rng.Next(100) < 85 ? _languages[2] : _english,
                "es" => _rng.Next(100) < 85 ? _languages[3] : _english,
                "jp" => _rng.Next(100) < 85 ? _languages[4] : _english,
                "ru" => _rng.Next(100) < 85 ? _languages[5] : _english,
                "cn" => _rng.Next(100) < 85 ? _languages[6] : _english,
                _ => _rng.Next(100) < 92 ? _english : _languages[1 + _rng.Next(_languages.Length - 1)],
            };
            string ip = $"{_rng.Next(1, 224)}.{_rng.Next(256)}.{_rng.Next(256)}.{_rng.Next(1, 255)}";
            string siteName = string.Join(' ', label.Split('-').Select(Capitalize));
            string server = Servers[_rng.Next(Servers.Length)];
            bool lower = server == "cloudflare" || _rng.Next(100) < 15;
            int ct = _rng.Next(10);
            string contentType = ct < 7 ? "text/html; charset=utf-8" : ct < 9 ? "text/html; charset=UTF-8" : "text/html";
            var template = MakeTemplate(lang);
            hosts[i] = new SiteHost(name, ip, lang, _rng.Next(100) < 85, siteName, server, lower, contentType, template);
        }
        return hosts;
    }

    private static string Capitalize(string w) =>
        w.Length > 0 && w[0] is >= 'a' and <= 'z' ? char.ToUpperInvariant(w[0]) + w[1..] : w;

    // ---------------------------------------------------------------- pages

    public void Next(GeneratedPage page)
    {
        _page = page;
        page.Reset();
        // Popular hosts get more pages (skewed pick), as in a real crawl segment.
        double u = _rng.NextDouble();
        var host = _hosts[(int)(u * u * _hosts.Length)];
        page.Host = host;
        page.Language = host.Language;
        _clock = _clock.AddSeconds(_rng.Next(3));
        page.Date = _clock;
        page.FetchTimeMs = 20 + _rng.Next(_rng.Next(100) < 90 ? 600 : 5000);

        int k = _rng.Next(100);
        page.Kind = k < 82 ? PageKind.Html : k < 88 ? PageKind.Redirect : k < 93 ? PageKind.NotFound : k < 97 ? PageKind.Pdf : PageKind.Image;

        page.PathAndQuery = page.Kind switch
        {
            PageKind.Pdf => "/files/" + Slug(2, 4) + ".pdf",
            PageKind.Image => "/images/" + Slug(1, 3) + (_rng.Next(4) == 0 ? "-" + _rng.Next(100, 2000).ToString(CultureInfo.InvariantCulture) : "") + ".jpg",
            _ => PagePath(host),
        };
        page.Url = (host.Https ? "https://" : "http://") + host.Name + page.PathAndQuery;
        if (_rng.Next(10) == 0) page.IfModifiedSince = page.Date.AddDays(-_rng.Next(1, 400)).AddSeconds(-_rng.Next(86400));

        FillRequestHeaders(page);
        switch (page.Kind)
        {
            case PageKind.Html: BuildHtml(page); break;
            case PageKind.Redirect: BuildStatusPage(page, 301, "Moved Permanently"); break;
            case PageKind.NotFound: BuildStatusPage(page, 404, "Not Found"); break;
            case PageKind.Pdf: BuildPdf(page); break;
            case PageKind.Image: BuildJpeg(page); break;
        }
        FillResponseHeaders(page);
    }

    private string PagePath(SiteHost host)
    {
        int r = _rng.Next(10);
        return r switch
        {
            0 or 1 => "/" + Slug(2, 4) + "/",
            2 or 3 => "/" + (2015 + _rng.Next(10)).ToString(CultureInfo.InvariantCulture) + "/" + (1 + _rng.Next(12)).ToString("D2", CultureInfo.InvariantCulture) + "/" + Slug(3, 6) + ".html",
            4 => "/wiki/" + Uri.EscapeDataString(Capitalize(host.Language.Words[_rng.Next(host.Language.Words.Length)])),
            5 => "/products/" + _rng.Next(1000, 99999).ToString(CultureInfo.InvariantCulture),
            6 => "/index.php?id=" + _rng.Next(1, 5000).ToString(CultureInfo.InvariantCulture) + "&lang=" + host.Language.Code,
            7 => "/news/" + Slug(3, 5) + "-" + _rng.Next(100000, 999999).ToString(CultureInfo.InvariantCulture),
            8 => "/",
            _ => "/blog/" + Slug(2, 5) + "?utm_source=feed&utm_medium=rss",
        };
    }

    private string Slug(int min, int max)
    {
        int n = _rng.Next(min, max + 1);
        var sb = new StringBuilder(n * 8);
        for (int i = 0; i < n; i++)
        {
            if (i > 0) sb.Append('-');
            sb.Append(_englishAscii[_rng.Next(_englishAscii.Length)]);
        }
        return sb.ToString();
    }

    private string Words(PageLanguage lang, int min, int max, bool capitalize)
    {
        int n = _rng.Next(min, max + 1);
        var sb = new StringBuilder(n * 8);
        for (int i = 0; i < n; i++)
        {
            if (i > 0) sb.Append(' ');
            string w = PickWordString(lang);
            sb.Append(i == 0 && capitalize ? Capitalize(w) : w);
        }
        return sb.ToString();
    }

    private string PickWordString(PageLanguage lang)
    {
        if (lang != _english && _rng.Next(100) < 70) return lang.Words[_rng.Next(lang.Words.Length)];
        return _englishAscii[_zipf[_rng.Next(_zipf.Length)]];
    }

    private byte[] PickWord(PageLanguage lang)
    {
        if (lang != _english)
        {
            if (_rng.Next(100) < 70) return lang.WordBytes[_rng.Next(lang.WordBytes.Length)];
        }
        else if (_rng.Next(200) == 0)
        {
            return Encoding.UTF8.GetBytes(_sprinkles[_rng.Next(_sprinkles.Length)]);
        }
        return _english.WordBytes[_zipf[_rng.Next(_zipf.Length)]];
    }

    private void FillRequestHeaders(GeneratedPage page)
    {
        var h = page.RequestHeaders;
        h.Add(new("User-Agent", "CCBot/2.0 (https://commoncrawl.org/faq/)"));
        h.Add(new("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));
        h.Add(new("Accept-Language", "en-US,en;q=0.5"));
        if (page.IfModifiedSince is { } ims) h.Add(new("If-Modified-Since", HttpDate(ims)));
        h.Add(new("Accept-Encoding", "br,gzip"));
        h.Add(new("Host", page.Host.Name));
        h.Add(new("Connection", "Keep-Alive"));
    }

    private void FillResponseHeaders(GeneratedPage page)
    {
        var host = page.Host;
        var h = page.ResponseHeaders;
        bool lower = host.LowercaseHeaders;
        void Add(string name, string value) => h.Add(new(lower ? name.ToLowerInvariant() : name, value));

        Add("Date", HttpDate(page.Date));
        Add("Server", host.Server);
        Add("Content-Type", page.Kind switch
        {
            PageKind.Html => host.HtmlContentType,
            PageKind.Pdf => "application/pdf",
            PageKind.Image => "image/jpeg",
            _ => "text/html",
        });
        if (page.Kind is PageKind.Pdf or PageKind.Image || (page.Kind == PageKind.Html && _rng.Next(2) == 0))
            Add("Last-Modified", HttpDate(page.Date.AddDays(-_rng.Next(1, 900)).AddSeconds(-_rng.Next(86400))));
        if (page.Kind is PageKind.Pdf or PageKind.Image)
            Add("ETag", "\"" + _rng.Next().ToString("x8", CultureInfo.InvariantCulture) + "-" + page.Body.Length.ToString("x", CultureInfo.InvariantCulture) + "\"");
        if (_rng.Next(2) == 0)
            Add("Cache-Control", _rng.Next(3) == 0 ? "no-cache" : "max-age=" + (60 * _rng.Next(1, 120)).ToString(CultureInfo.InvariantCulture));
        if (page.Kind == PageKind.Redirect)
            Add("Location", (host.Https ? "https://" : "http://") + host.Name + page.PathAndQuery.TrimEnd('/') + "/index.html");
        if (page.Kind == PageKind.Html && _rng.Next(100) < 65)
        {
            // CC stores the decoded payload and renames the original encoding headers.
            Add("Vary", "Accept-Encoding");
            Add("X-Crawler-Content-Encoding", "gzip");
            Add("X-Crawler-Content-Length", (page.Body.Length / 4 + _rng.Next(200)).ToString(CultureInfo.InvariantCulture));
        }
        else if (page.Kind == PageKind.Html && _rng.Next(4) == 0)
        {
            Add("X-Crawler-Transfer-Encoding", "chunked");
        }
        Add("Content-Length", page.Body.Length.ToString(CultureInfo.InvariantCulture));
    }

    internal static string HttpDate(DateTime utc) => utc.ToString("R", CultureInfo.InvariantCulture);

    // ---------------------------------------------------------------- non-HTML bodies

    private void BuildStatusPage(GeneratedPage page, int status, string reason)
    {
        page.Status = status;
        page.Reason = reason;
        page.MimeType = "text/html";
        var b = page.Body;
        string title = $"{status} {reason}";
        b.Append("<html>\r\n<head><title>");
        b.Append(title);
        b.Append("</title></head>\r\n<body>\r\n<center><h1>");
        b.Append(title);
        b.Append("</h1></center>\r\n<hr><center>");
        b.Append(page.Host.Server);
        b.Append("</center>\r\n</body>\r\n</html>\r\n");
    }

    private void BuildPdf(GeneratedPage page)
    {
        page.Status = 200;
        page.Reason = "OK";
        page.MimeType = "application/pdf";
        var b = page.Body;
        b.Append(PdfMagic);
        b.Append("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
        b.Append("3 0 obj\n<< /Length ");
        int n = 3 * 1024 + _rng.Next(50 * 1024);
        b.Append(n);
        b.Append(" /Filter /FlateDecode >>\nstream\n");
        RandomBinary(b, n);
        b.Append("\nendstream\nendobj\ntrailer\n<< /Root 1 0 R /Size 4 >>\nstartxref\n");
        b.Append(b.Length);
        b.Append("\n%%EOF\n");
    }

    private void BuildJpeg(GeneratedPage page)
    {
        page.Status = 200;
        page.Reason = "OK";
        page.MimeType = "image/jpeg";
        var b = page.Body;
        b.Append(JpegHeader);
        RandomBinary(b, 2 * 1024 + _rng.Next(30 * 1024));
        b.Append(JpegEnd);
    }

    /// <summary>Random bytes without '@' and '+', so that binary payloads never fake a planted e-mail or phone number.</summary>
    private void RandomBinary(ByteBuffer b, int n)
    {
        var span = b.GetSpan(n)[..n];
        _rng.NextBytes(span);
        for (int i = 0; i < span.Length; i++)
            if (span[i] is (byte)'@' or (byte)'+') span[i] = 0;
        b.Advance(n);
    }

}
