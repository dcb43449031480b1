using System.Globalization;
using System.Text;

namespace CrawlGrep.Core.Generation;

/// <summary>HTML pages: markup, visible text (the WET), links (the WAT) and the planted tokens.</summary>
internal sealed partial class PageGenerator
{
    // ---------------------------------------------------------------- HTML

    private void Html(string s) => _page.Body.Append(s);
    private void Html(ReadOnlySpan<byte> s) => _page.Body.Append(s);

    /// <summary>Visible text: into the HTML and the WET text alike.</summary>
    private void Both(string s) { _page.Body.Append(s); _page.Text.Append(s); }
    private void Both(ReadOnlySpan<byte> s) { _page.Body.Append(s); _page.Text.Append(s); }

    private void EndLine()
    {
        var t = _page.Text;
        if (t.Length > 0 && t.Span[^1] != (byte)'\n') t.Append((byte)'\n');
    }

    private string LinkUrl(SiteHost host)
    {
        int r = _rng.Next(10);
        if (r < 5) return "/" + Sections[_rng.Next(Sections.Length)] + "/" + Slug(1, 4);
        if (r < 7) return (host.Https ? "https://" : "http://") + host.Name + "/" + Slug(2, 4) + ".html";
        var other = _hosts[_rng.Next(_hosts.Length)];
        return (other.Https ? "https://" : "http://") + other.Name + "/" + (_rng.Next(3) == 0 ? "" : Slug(1, 3));
    }

    private void BuildHtml(GeneratedPage page)
    {
        var host = page.Host;
        var lang = host.Language;
        var site = host.Template;
        page.Status = 200;
        page.Reason = "OK";
        page.MimeType = "text/html";
        if (lang != _english) page.SecondLanguage = _english;
        page.TextCoveredPercent = lang == _english ? 95 + _rng.Next(5) : 55 + _rng.Next(30);

        // What to plant on this page (rates documented on PlantedTokens).
        _pendingCrawlgrep = _rng.Next(100) < 8 ? 1 + _rng.Next(3) : 0;
        _pendingMixedCase = _rng.Next(100) < 2 ? 1 : 0;
        _pendingEmail = _rng.Next(100) < 15 ? 1 + _rng.Next(2) : 0;
        _pendingPhone = _rng.Next(100) < 10 ? 1 : 0;
        _pendingLorem = _rng.Next(100) < 5 ? 1 : 0;

        // Sizes 2–60 KB, skewed towards the small end (mean about 25 KB).
        double u = _rng.NextDouble();
        int target = MinHtmlBytes + (int)((MaxHtmlBytes - MinHtmlBytes) * u * Math.Sqrt(u));
        bool rich = site.Rich && target >= 10 * 1024;

        page.Title = Words(lang, 3, 8, capitalize: true);
        page.Description = Words(lang, 8, 16, capitalize: true) + ".";
        string fullTitle = page.Title + " | " + host.SiteName;
        string url = Attr(page.Url);
        DateTime published = page.Date.AddDays(-_rng.Next(0, 1500));
        string author = Capitalize(WordLists.FirstNames[_rng.Next(WordLists.FirstNames.Length)]) + " " +
                        Capitalize(WordLists.LastNames[_rng.Next(WordLists.LastNames.Length)]);

        // ---- head
        Html("<!DOCTYPE html>\n<html lang=\"");
        Html(lang.Code);
        Html(rich ? "\" class=\"no-js\">\n" : "\">\n");
        Html("<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
        Both(fullTitle);
        EndLine();
        Html("</title>\n<meta name=\"description\" content=\"");
        Html(page.Description);
        Html("\">\n");
        page.Metas.Add(new("viewport", "width=device-width, initial-scale=1"));
        page.Metas.Add(new("description", page.Description));
        string css = "/assets/css/main.css?v=" + _rng.Next(1, 40).ToString(CultureInfo.InvariantCulture);
        Html("<link rel=\"stylesheet\" href=\"");
        Html(css);
        Html("\">\n<link rel=\"canonical\" href=\"");
        Html(url);
        Html("\">\n");
        page.HeadLinks.Add(new PageLink("LINK@/href", css, null, "stylesheet"));
        page.HeadLinks.Add(new PageLink("LINK@/href", page.Url, null, "canonical"));
        if (rich)
        {
            Html("<meta property=\"og:type\" content=\"article\">\n<meta property=\"og:title\" content=\"");
            Html(page.Title);
            Html("\">\n<meta property=\"og:description\" content=\"");
            Html(page.Description);
            Html("\">\n<meta property=\"og:url\" content=\"");
            Html(url);
            Html("\">\n<meta property=\"og:site_name\" content=\"");
            Html(host.SiteName);
            Html("\">\n<meta name=\"twitter:card\" content=\"summary_large_image\">\n");
            Html("<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@type\":\"Article\",\"headline\":\"");
            Html(page.Title);
            Html("\",\"url\":\"");
            Html(page.Url);
            Html("\",\"datePublished\":\"");
            Html(published.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture));
            Html("\",\"author\":{\"@type\":\"Person\",\"name\":\"");
            Html(author);
            Html("\"},\"publisher\":{\"@type\":\"Organization\",\"name\":\"");
            Html(host.SiteName);
            Html("\"}}</script>\n");
            Html(site.HeadMarkup);
            page.Metas.Add(new("og:title", page.Title));
        }
        Html("<script src=\"/assets/js/app.js\" defer></script>\n");
        page.HeadLinks.Add(new PageLink("SCRIPT@/src", "/assets/js/app.js", null, null));
        if (!rich && _rng.Next(3) == 0)
            Html("<style>body{font-family:system-ui,sans-serif;margin:0 auto;max-width:60em}.nav li{display:inline-block;padding:0 .5em}</style>\n");
        Html("</head>\n");

        // ---- header and navigation
        if (rich)
        {
            Html("<body class=\"post-template-default single single-post postid-");
            Html(_rng.Next(100, 99999).ToString(CultureInfo.InvariantCulture));
            Html(" single-format-standard\">\n<div id=\"page\" class=\"site\">\n<a class=\"skip-link screen-reader-text\" href=\"#content\">");
            Both("Skip to content");
            EndLine();
            Html("</a>\n<header id=\"masthead\" class=\"site-header\">\n<div class=\"site-branding\">\n<p class=\"site-title\"><a href=\"/\" rel=\"home\">");
        }
        else
        {
            Html("<body class=\"page\">\n<header class=\"site-header\">\n<a class=\"logo\" href=\"/\">");
        }
        Both(host.SiteName);
        EndLine();
        page.Links.Add(new PageLink("A@/href", "/", host.SiteName, null));
        Html(rich
            ? "</a></p>\n</div>\n<nav id=\"site-navigation\" class=\"main-navigation\">\n<button class=\"menu-toggle\" aria-controls=\"primary-menu\" aria-expanded=\"false\">"
            : "</a>\n<nav>\n");
        if (rich)
        {
            Both("Menu");
            EndLine();
            Html("</button>\n<div class=\"menu-primary-container\"><ul id=\"primary-menu\" class=\"menu\">\n");
        }
        else
        {
            Html("<ul class=\"nav\">\n");
        }
        int menuId = 100 + _rng.Next(900);
        foreach (var (label, navUrl) in site.Nav)
        {
            if (rich)
            {
                Html("<li id=\"menu-item-");
                Html((menuId).ToString(CultureInfo.InvariantCulture));
                Html("\" class=\"");
                Html(site.MenuItemClass);
                Html(" menu-item-");
                Html((menuId++).ToString(CultureInfo.InvariantCulture));
                Html("\"><a href=\"");
            }
            else
            {
                Html("<li><a href=\"");
            }
            Html(navUrl);
            Html("\">");
            Both(label);
            EndLine();
            Html("</a></li>\n");
            page.Links.Add(new PageLink("A@/href", navUrl, label, null));
        }
        Html(rich ? "</ul></div>\n</nav>\n</header>\n<div id=\"content\" class=\"site-content\">\n<div class=\"container\">\n<div class=\"row\">\n<main id=\"primary\" class=\"site-main col-md-8\">\n<article class=\"post type-post status-publish format-standard hentry\">\n<header class=\"entry-header\">\n<h1 class=\"entry-title\">"
                  : "</ul>\n</nav>\n</header>\n<main>\n<article>\n<h1>");
        Both(page.Title);
        EndLine();
        Html(rich ? "</h1>\n<div class=\"entry-meta\"><span class=\"posted-on\"><time class=\"entry-date published\" datetime=\"" : "</h1>\n<p class=\"byline\">");
        if (rich)
        {
            Html(published.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture));
            Html("\">");
        }
        Both(published.ToString("d MMMM yyyy", CultureInfo.InvariantCulture));
        if (rich) Html("</time></span><span class=\"byline\"> by <span class=\"author vcard\">");
        else Both(" \u00b7 ");
        if (rich) _page.Text.Append(" by "u8);
        Both(author);
        EndLine();
        Html(rich ? "</span></span></div>\n</header>\n<div class=\"entry-content\">\n" : "</p>\n");

        // ---- content, up to the target size less what the sidebar and footer will add
        int reserve = rich ? 2500 + site.TailMarkup.Length : 300;
        // Share of visible text in a rich page's bytes; the rest is markup, as on real CMS pages.
        double textShare = rich ? 0.08 + 0.25 * _rng.NextDouble() : 0.3 + 0.3 * _rng.NextDouble();
        bool commentForm = rich && _rng.Next(3) == 0;
        while (page.Body.Length < target - reserve)
        {
            if (page.Text.Length > textShare * page.Body.Length)
            {
                if (commentForm && page.Body.Length > target / 2)
                {
                    CommentForm();
                    commentForm = false;
                }
                else
                {
                    MarkupBlock(host, lang);
                }
                continue;
            }
            int r = _rng.Next(100);
            if (r < 10) Heading(lang);
            else if (r < 17) List(host, lang);
            else if (r < 20) Figure(lang);
            else if (_pendingLorem > 0 && _rng.Next(4) == 0) LoremParagraph();
            else Paragraph(host, lang);
        }
        // Whatever was planned and not yet placed goes into a last paragraph, so the counts are exact.
        while (_pendingLorem > 0) LoremParagraph();
        if (_pendingCrawlgrep + _pendingMixedCase + _pendingEmail + _pendingPhone > 0)
        {
            Html("<p>");
            while (_pendingCrawlgrep + _pendingMixedCase + _pendingEmail + _pendingPhone > 0)
            {
                Sentence(host, lang, forcePlant: true);
                Both(" ");
            }
            EndLine();
            Html("</p>\n");
        }

        // ---- sidebar and footer
        if (rich)
        {
            Html("</div><!-- .entry-content -->\n</article>\n</main><!-- #primary -->\n<aside id=\"secondary\" class=\"widget-area col-md-4\">\n");
            Html("<section id=\"recent-posts-2\" class=\"widget widget_recent_entries\">\n<h2 class=\"widget-title\">");
            Both("Recent Posts");
            EndLine();
            Html("</h2>\n<ul>\n");
            int recent = 4 + _rng.Next(5);
            for (int i = 0; i < recent; i++)
            {
                string postUrl = "/" + Slug(2, 5) + "/";
                string postTitle = Words(lang, 3, 7, capitalize: true);
                Html("<li>\n<a href=\"");
                Html(postUrl);
                Html("\">");
                Both(postTitle);
                EndLine();
                Html("</a>\n<span class=\"post-date\">");
                Both(published.AddDays(-_rng.Next(1, 60)).ToString("MMMM d, yyyy", CultureInfo.InvariantCulture));
                EndLine();
                Html("</span>\n</li>\n");
                page.Links.Add(new PageLink("A@/href", postUrl, postTitle, null));
            }
            Html("</ul>\n</section>\n<section id=\"categories-2\" class=\"widget widget_categories\">\n<h2 class=\"widget-title\">");
            Both("Categories");
            EndLine();
            Html("</h2>\n<ul>\n");
            int categories = 3 + _rng.Next(6);
            for (int i = 0; i < categories; i++)
            {
                string name = Words(lang, 1, 2, capitalize: true);
                string catUrl = "/category/" + Slug(1, 2) + "/";
                Html("<li class=\"cat-item cat-item-");
                Html(_rng.Next(2, 500).ToString(CultureInfo.InvariantCulture));
                Html("\"><a href=\"");
                Html(catUrl);
                Html("\">");
                Both(name);
                EndLine();
                Html("</a></li>\n");
                page.Links.Add(new PageLink("A@/href", catUrl, name, null));
            }
            Html("</ul>\n</section>\n</aside><!-- #secondary -->\n</div>\n</div>\n</div><!-- #content -->\n<footer id=\"colophon\" class=\"site-footer\">\n<div class=\"footer-widgets\">\n<ul class=\"footer-menu\">\n");
            foreach (var (label, linkUrl) in site.FooterLinks)
            {
                Html("<li class=\"menu-item\"><a href=\"");
                Html(linkUrl);
                Html("\">");
                Both(label);
                EndLine();
                Html("</a></li>\n");
                page.Links.Add(new PageLink("A@/href", linkUrl, label, null));
            }
            Html("</ul>\n</div>\n<div class=\"site-info\">");
            Html("&copy; ");
            _page.Text.Append("\u00a9 ");
            Both(published.Year.ToString(CultureInfo.InvariantCulture));
            Both(" ");
            Both(host.SiteName);
            EndLine();
            Html("</div>\n</footer>\n</div><!-- #page -->\n");
            Html(site.TailMarkup);
            Html("</body>\n</html>\n");
        }
        else
        {
            Html("</article>\n</main>\n<footer>\n<p>&copy; ");
            _page.Text.Append("\u00a9 ");
            Both(published.Year.ToString(CultureInfo.InvariantCulture));
            Both(" ");
            Both(host.SiteName);
            foreach (var (label, linkUrl) in site.FooterLinks)
            {
                Both(" \u00b7 ");
                Html("<a href=\"");
                Html(linkUrl);
                Html("\">");
                Both(label);
                Html("</a>");
                page.Links.Add(new PageLink("A@/href", linkUrl, label, null));
            }
            EndLine();
            Html("</p>\n</footer>\n</body>\n</html>\n");
        }
    }

    /// <summary>A URL as an HTML attribute value.</summary>
    private static string Attr(string url) => url.Contains('&') ? url.Replace("&", "&amp;") : url;

    private static readonly string[] Icons =
    [
        "<svg class=\"icon icon-arrow-right\" aria-hidden=\"true\" role=\"img\" focusable=\"false\" xmlns=\"http://www.w3.org/2000/svg\" width=\"24\" height=\"24\" viewBox=\"0 0 24 24\"><path d=\"M12 4l-1.41 1.41L16.17 11H4v2h12.17l-5.58 5.59L12 20l8-8z\"></path></svg>",
        "<svg class=\"icon icon-search\" aria-hidden=\"true\" role=\"img\" focusable=\"false\" xmlns=\"http://www.w3.org/2000/svg\" width=\"24\" height=\"24\" viewBox=\"0 0 24 24\"><path d=\"M15.5 14h-.79l-.28-.27A6.47 6.47 0 0 0 16 9.5 6.5 6.5 0 1 0 9.5 16c1.61 0 3.09-.59 4.23-1.57l.27.28v.79l5 4.99L20.49 19l-4.99-5zm-6 0C7.01 14 5 11.99 5 9.5S7.01 5 9.5 5 14 7.01 14 9.5 11.99 14 9.5 14z\"></path></svg>",
        "<svg class=\"icon icon-menu\" aria-hidden=\"true\" role=\"img\" focusable=\"false\" xmlns=\"http://www.w3.org/2000/svg\" width=\"24\" height=\"24\" viewBox=\"0 0 24 24\"><path d=\"M3 18h18v-2H3v2zm0-5h18v-2H3v2zm0-7v2h18V6H3z\"></path></svg>",
        "<svg class=\"icon icon-share\" aria-hidden=\"true\" role=\"img\" focusable=\"false\" xmlns=\"http://www.w3.org/2000/svg\" width=\"24\" height=\"24\" viewBox=\"0 0 24 24\"><path d=\"M18 16.08c-.76 0-1.44.3-1.96.77L8.91 12.7c.05-.23.09-.46.09-.7s-.04-.47-.09-.7l7.05-4.11c.54.5 1.25.81 2.04.81 1.66 0 3-1.34 3-3s-1.34-3-3-3-3 1.34-3 3c0 .24.04.47.09.7L8.04 9.81C7.5 9.31 6.79 9 6 9c-1.66 0-3 1.34-3 3s1.34 3 3 3c.79 0 1.5-.31 2.04-.81l7.12 4.16c-.05.21-.08.43-.08.65 0 1.61 1.31 2.92 2.92 2.92s2.92-1.31 2.92-2.92-1.31-2.92-2.92-2.92z\"></path></svg>",
    ];

    private static readonly string[] ShareServices = ["Facebook", "X", "LinkedIn", "Pinterest", "WhatsApp", "Telegram", "Reddit"];

    /// <summary>A block that is mostly markup: related-post cards, share buttons, an ad slot or icons.</summary>
    private void MarkupBlock(SiteHost host, PageLanguage lang)
    {
        int r = _rng.Next(100);
        if (r < 40)
        {
            Html("<section class=\"related-posts\">\n<h2 class=\"related-posts__title\">");
            Both(_rng.Next(2) == 0 ? "Related Posts" : "You may also like");
            EndLine();
            Html("</h2>\n<div class=\"row row-cols-1 row-cols-md-3 g-4\">\n");
            int cards = 3 + _rng.Next(4);
            for (int i = 0; i < cards; i++)
            {
                string slug = Slug(2, 4);
                string postUrl = "/" + slug + "/";
                string image = "/wp-content/uploads/" + (2018 + _rng.Next(7)).ToString(CultureInfo.InvariantCulture) + "/" +
                               (1 + _rng.Next(12)).ToString("D2", CultureInfo.InvariantCulture) + "/" + slug;
                string title = Words(lang, 3, 7, capitalize: true);
                Html("<div class=\"col\">\n<div class=\"card h-100 shadow-sm\">\n<a href=\"");
                Html(postUrl);
                Html("\" class=\"card-img-link\" tabindex=\"-1\" aria-hidden=\"true\"><img width=\"300\" height=\"200\" src=\"");
                Html(image);
                Html("-300x200.jpg\" class=\"card-img-top wp-post-image\" alt=\"\" loading=\"lazy\" decoding=\"async\" srcset=\"");
                Html(image);
                Html("-300x200.jpg 300w, ");
                Html(image);
                Html("-768x512.jpg 768w, ");
                Html(image);
                Html(".jpg 1200w\" sizes=\"(max-width: 300px) 100vw, 300px\"></a>\n<div class=\"card-body\">\n<h3 class=\"card-title h6\"><a href=\"");
                Html(postUrl);
                Html("\" rel=\"bookmark\">");
                Both(title);
                EndLine();
                Html("</a></h3>\n</div>\n</div>\n</div>\n");
                _page.Links.Add(new PageLink("IMG@/src", image + "-300x200.jpg", "", null));
                _page.Links.Add(new PageLink("A@/href", postUrl, title, null));
            }
            Html("</div>\n</section>\n");
        }
        else if (r < 60)
        {
            string encoded = Uri.EscapeDataString(_page.Url);
            Html("<div class=\"sharedaddy sd-sharing-enabled\"><div class=\"robots-nocontent sd-block sd-social sd-social-icon-text sd-sharing\"><h3 class=\"sd-title\">");
            Both("Share this:");
            EndLine();
            Html("</h3><div class=\"sd-content\"><ul>\n");
            int n = 3 + _rng.Next(4);
            for (int i = 0; i < n; i++)
            {
                string service = ShareServices[i];
                string lower = service.ToLowerInvariant();
                Html("<li class=\"share-");
                Html(lower);
                Html("\"><a rel=\"nofollow noopener noreferrer\" data-shared=\"sharing-");
                Html(lower);
                Html("-");
                Html(_rng.Next(1000, 99999).ToString(CultureInfo.InvariantCulture));
                Html("\" class=\"share-");
                Html(lower);
                Html(" sd-button share-icon\" href=\"");
                Html(Attr(_page.Url));
                Html(_page.Url.Contains('?') ? "&amp;share=" : "?share=");
                Html(lower);
                Html("&amp;nb=1&amp;u=");
                Html(encoded);
                Html("\" target=\"_blank\" title=\"Click to share on ");
                Html(service);
                Html("\"><span>");
                Both(service);
                EndLine();
                Html("</span></a></li>\n");
            }
            Html("<li class=\"share-end\"></li></ul></div></div></div>\n");
        }
        else if (r < 75)
        {
            Html("<div class=\"ad-container ad-slot-");
            Html(_rng.Next(1, 9).ToString(CultureInfo.InvariantCulture));
            Html("\" data-ad-position=\"in-content\"><ins class=\"adsbygoogle\" style=\"display:block; text-align:center;\" data-ad-layout=\"in-article\" data-ad-format=\"fluid\" data-ad-client=\"ca-pub-0000000000000000\" data-ad-slot=\"");
            Html(_rng.Next(1_000_000, int.MaxValue).ToString(CultureInfo.InvariantCulture));
            Html("\"></ins>\n<script>(adsbygoogle = window.adsbygoogle || []).push({});</script></div>\n");
        }
        else
        {
            Html("<div class=\"wp-block-buttons is-layout-flex wp-block-buttons-is-layout-flex\">\n");
            int n = 1 + _rng.Next(3);
            for (int i = 0; i < n; i++)
            {
                string target = LinkUrl(host);
                string label = Words(lang, 1, 3, capitalize: true);
                Html("<div class=\"wp-block-button is-style-fill\"><a class=\"wp-block-button__link wp-element-button\" href=\"");
                Html(target);
                Html("\">");
                Html(Icons[_rng.Next(Icons.Length)]);
                Both(label);
                EndLine();
                Html("</a></div>\n");
                _page.Links.Add(new PageLink("A@/href", target, label, null));
            }
            Html("</div>\n");
        }
    }

    private void CommentForm()
    {
        Html("<div id=\"respond\" class=\"comment-respond\">\n<h3 id=\"reply-title\" class=\"comment-reply-title\">");
        Both("Leave a Reply");
        EndLine();
        Html(" <small><a rel=\"nofollow\" id=\"cancel-comment-reply-link\" href=\"#respond\" style=\"display:none;\">Cancel reply</a></small></h3>\n");
        Html("<form action=\"/wp-comments-post.php\" method=\"post\" id=\"commentform\" class=\"comment-form\" novalidate>\n<p class=\"comment-notes\"><span id=\"email-notes\">");
        Both("Your email address will not be published.");
        EndLine();
        Html("</span> <span class=\"required-field-message\">Required fields are marked <span class=\"required\">*</span></span></p>\n");
        Html("<p class=\"comment-form-comment\"><label for=\"comment\">Comment <span class=\"required\">*</span></label> <textarea id=\"comment\" name=\"comment\" cols=\"45\" rows=\"8\" maxlength=\"65525\" required></textarea></p>\n");
        Html("<p class=\"comment-form-author\"><label for=\"author\">Name <span class=\"required\">*</span></label> <input id=\"author\" name=\"author\" type=\"text\" value=\"\" size=\"30\" maxlength=\"245\" autocomplete=\"name\" required></p>\n");
        Html("<p class=\"comment-form-email\"><label for=\"email\">Email <span class=\"required\">*</span></label> <input id=\"email\" name=\"email\" type=\"email\" value=\"\" size=\"30\" maxlength=\"100\" aria-describedby=\"email-notes\" autocomplete=\"email\" required></p>\n");
        Html("<p class=\"form-submit\"><input name=\"submit\" type=\"submit\" id=\"submit\" class=\"submit\" value=\"Post Comment\"> <input type=\"hidden\" name=\"comment_post_ID\" value=\"");
        Html(_rng.Next(100, 99999).ToString(CultureInfo.InvariantCulture));
        Html("\" id=\"comment_post_ID\"> <input type=\"hidden\" name=\"comment_parent\" id=\"comment_parent\" value=\"0\"></p>\n</form>\n</div><!-- #respond -->\n");
    }

    private void Heading(PageLanguage lang)
    {
        Html("<h2>");
        Both(Words(lang, 2, 6, capitalize: true));
        EndLine();
        Html("</h2>\n");
    }

    private void List(SiteHost host, PageLanguage lang)
    {
        Html("<ul>\n");
        int n = 3 + _rng.Next(4);
        for (int i = 0; i < n; i++)
        {
            Html("<li>");
            string text = Words(lang, 1, 5, capitalize: true);
            if (_rng.Next(2) == 0)
            {
                string url = LinkUrl(host);
                Html("<a href=\"");
                Html(url);
                Html("\">");
                Both(text);
                Html("</a>");
                _page.Links.Add(new PageLink("A@/href", url, text, null));
            }
            else
            {
                Both(text);
            }
            EndLine();
            Html("</li>\n");
        }
        Html("</ul>\n");
    }

    private void Figure(PageLanguage lang)
    {
        string src = "/images/" + Slug(1, 3) + ".jpg";
        string alt = Words(lang, 2, 5, capitalize: false);
        Html("<figure><img src=\"");
        Html(src);
        Html("\" alt=\"");
        Html(alt);
        Html("\" loading=\"lazy\"><figcaption>");
        _page.Links.Add(new PageLink("IMG@/src", src, alt, null));
        Both(Words(lang, 3, 9, capitalize: true));
        EndLine();
        Html("</figcaption></figure>\n");
    }

    private void LoremParagraph()
    {
        Html("<p>");
        Both(Lorem);
        EndLine();
        Html("</p>\n");
        _pendingLorem--;
        PlantedCounts[4]++;
    }

    private void Paragraph(SiteHost host, PageLanguage lang)
    {
        Html("<p>");
        int n = 2 + _rng.Next(5);
        for (int i = 0; i < n; i++)
        {
            if (i > 0) Both(" ");
            Sentence(host, lang, forcePlant: false);
        }
        EndLine();
        Html("</p>\n");
    }

    private void Sentence(SiteHost host, PageLanguage lang, bool forcePlant)
    {
        int n = 5 + _rng.Next(14);
        int pending = _pendingCrawlgrep + _pendingMixedCase + _pendingEmail + _pendingPhone;
        int plantAt = pending > 0 && (forcePlant || _rng.Next(100) < 12) ? 1 + _rng.Next(n - 1) : -1;
        int linkAt = _rng.Next(100) < 18 ? _rng.Next(n) : -1;
        int linkLen = 1 + _rng.Next(3);
        if (linkAt >= 0 && linkAt + linkLen > n) linkLen = n - linkAt;
        if (plantAt >= 0 && linkAt >= 0 && plantAt >= linkAt && plantAt < linkAt + linkLen) linkAt = -1; // planted text never in link text
        int strongAt = _rng.Next(100) < 6 ? _rng.Next(n) : -1;
        int ampAt = _rng.Next(100) < 3 ? 1 + _rng.Next(n - 1) : -1;
        if (ampAt >= 0 && linkAt >= 0 && ampAt >= linkAt && ampAt < linkAt + linkLen) ampAt = -1;

        string? linkUrl = null;
        int linkTextStart = 0;
        for (int i = 0; i < n; i++)
        {
            if (i > 0) Both(" ");
            if (i == ampAt)
            {
                Html("&amp;");
                _page.Text.Append((byte)'&');
                Both(" ");
            }
            if (i == linkAt)
            {
                linkUrl = LinkUrl(host);
                Html("<a href=\"");
                Html(linkUrl);
                Html("\">");
                linkTextStart = _page.Text.Length;
            }
            if (i == strongAt) Html("<strong>");
            if (i == plantAt) Plant(lastWord: i == n - 1);
            else
            {
                byte[] w = PickWord(lang);
                if (i == 0 && w[0] is >= (byte)'a' and <= (byte)'z')
                {
                    _page.Body.Append((byte)(w[0] - 32));
                    _page.Text.Append((byte)(w[0] - 32));
                    Both(w.AsSpan(1));
                }
                else
                {
                    Both(w);
                }
            }
            if (i == strongAt) Html("</strong>");
            if (linkUrl is not null && i == linkAt + linkLen - 1)
            {
                Html("</a>");
                string text = Encoding.UTF8.GetString(_page.Text.Span[linkTextStart..]);
                _page.Links.Add(new PageLink("A@/href", linkUrl, text, null));
                linkUrl = null;
            }
        }
        Both(".");
    }

    /// <summary>Writes one pending planted token as a word of the sentence.</summary>
    private void Plant(bool lastWord)
    {
        int pending = _pendingCrawlgrep + _pendingMixedCase + _pendingEmail + _pendingPhone;
        int pick = _rng.Next(pending);
        string token;
        if ((pick -= _pendingCrawlgrep) < 0)
        {
            token = PlantedTokens.Crawlgrep;
            _pendingCrawlgrep--;
            PlantedCounts[0]++;
        }
        else if ((pick -= _pendingMixedCase) < 0)
        {
            token = PlantedTokens.CrawlgrepMixedCase;
            _pendingMixedCase--;
            PlantedCounts[1]++;
        }
        else if ((pick -= _pendingEmail) < 0)
        {
            string first = WordLists.FirstNames[_rng.Next(WordLists.FirstNames.Length)];
            string last = WordLists.LastNames[_rng.Next(WordLists.LastNames.Length)];
            token = _rng.Next(3) switch
            {
                0 => first + "." + last + "@example.org",
                1 => first + "@example.com",
                _ => first + "_" + last + "@example.net",
            };
            _pendingEmail--;
            PlantedCounts[2]++;
        }
        else
        {
            token = PlantedTokens.PhonePrefix + _rng.Next(100).ToString("D2", CultureInfo.InvariantCulture);
            _pendingPhone--;
            PlantedCounts[3]++;
        }
        switch (_rng.Next(5))
        {
            case 0: Both("("); Both(token); Both(")"); break;
            case 1 when !lastWord: Both(token); Both(","); break;
            default: Both(token); break;
        }
    }
}
