using System.Globalization;
using System.Text;

namespace CrawlGrep.Core.Generation;

/// <summary>Site templates: the per-host boilerplate of the synthetic crawl.</summary>
internal sealed partial class PageGenerator
{
    private static readonly string[] CssClasses =
        ["site-header", "site-branding", "main-navigation", "menu-item", "entry-content", "entry-title", "entry-meta", "widget",
         "widget-title", "sidebar", "container", "row", "col-md-4", "col-md-8", "btn", "btn-primary", "nav-link", "footer-widgets",
         "post-meta", "screen-reader-text", "wp-block-group", "has-text-align-center", "card", "card-body", "breadcrumb",
         "pagination", "site-footer", "site-info", "search-form", "search-field", "cat-links", "tags-links", "comment-respond"];

    private static readonly string[] CssDeclarations =
        ["color:#333", "color:#fff", "color:#1e73be", "background:#f5f5f5", "background-color:#fff", "margin:0", "margin:0 auto",
         "padding:0 1rem", "padding:.5em 1em", "display:flex", "display:block", "display:none", "font-size:14px", "font-size:1.25rem",
         "font-weight:700", "line-height:1.6", "border:1px solid #ddd", "border-radius:4px", "text-decoration:none",
         "max-width:1200px", "width:100%", "position:relative", "position:absolute", "clip:rect(1px,1px,1px,1px)",
         "box-sizing:border-box", "list-style:none", "flex-wrap:wrap", "justify-content:space-between", "overflow:hidden"];

    private static readonly string[] Scripts =
        ["/wp-includes/js/jquery/jquery.min.js?ver=3.7.1", "/wp-includes/js/jquery/jquery-migrate.min.js?ver=3.4.1",
         "/wp-content/themes/theme/js/navigation.js?ver=20151215", "/wp-content/plugins/contact-form-7/includes/js/index.js?ver=5.9.3",
         "/assets/js/bootstrap.bundle.min.js", "/assets/js/vendor.min.js", "/wp-includes/js/comment-reply.min.js?ver=6.5.3",
         "https://www.googletagmanager.com/gtag/js?id=G-XXXXXXX"];

    private SiteTemplate MakeTemplate(PageLanguage lang)
    {
        bool rich = _rng.Next(100) < 85;
        bool wordpress = _rng.Next(2) == 0;
        int navCount = rich ? 6 + _rng.Next(20) : 3 + _rng.Next(5);
        var nav = new (string, string)[navCount];
        int sectionStart = _rng.Next(Sections.Length);
        for (int i = 0; i < navCount; i++)
        {
            if (i < Sections.Length && i < 6)
            {
                string section = Sections[(sectionStart + i) % Sections.Length];
                nav[i] = (Capitalize(section), "/" + section + "/");
            }
            else
            {
                string label = Words(lang, 1, 3, capitalize: true);
                nav[i] = (label, "/" + Sections[_rng.Next(Sections.Length)] + "/" + Slug(1, 2) + "/");
            }
        }
        var footer = new (string, string)[rich ? 6 + _rng.Next(10) : 2];
        for (int i = 0; i < footer.Length; i++)
            footer[i] = i switch
            {
                0 => ("Privacy", "/privacy"),
                1 => ("Contact", "/contact"),
                _ => (Words(lang, 1, 3, capitalize: true), "/" + Slug(1, 2) + "/"),
            };
        if (!rich) return new SiteTemplate(false, nav, footer, "", "", "");

        var head = new StringBuilder(8 * 1024);
        head.Append("<link rel=\"icon\" href=\"/favicon.ico\" sizes=\"32x32\">\n");
        head.Append("<link rel=\"apple-touch-icon\" href=\"/apple-touch-icon.png\">\n");
        head.Append("<link rel=\"preconnect\" href=\"https://fonts.gstatic.com\" crossorigin>\n");
        head.Append("<link rel=\"stylesheet\" id=\"wp-block-library-css\" href=\"/wp-includes/css/dist/block-library/style.min.css?ver=6.5.3\" media=\"all\">\n");
        head.Append("<style id=\"theme-inline-css\">\n");
        int rules = 15 + _rng.Next(60);
        for (int i = 0; i < rules; i++)
        {
            head.Append('.').Append(CssClasses[_rng.Next(CssClasses.Length)]);
            if (_rng.Next(2) == 0) head.Append(" .").Append(CssClasses[_rng.Next(CssClasses.Length)]);
            if (_rng.Next(4) == 0) head.Append(">a");
            head.Append('{');
            int decls = 1 + _rng.Next(5);
            for (int d = 0; d < decls; d++)
            {
                if (d > 0) head.Append(';');
                head.Append(CssDeclarations[_rng.Next(CssDeclarations.Length)]);
            }
            head.Append("}\n");
        }
        head.Append("</style>\n");
        int headScripts = 1 + _rng.Next(3);
        for (int i = 0; i < headScripts; i++)
            head.Append("<script src=\"").Append(Scripts[_rng.Next(Scripts.Length)]).Append("\" id=\"script-").Append(i).Append("-js\"></script>\n");

        var tail = new StringBuilder(4 * 1024);
        int tailScripts = 2 + _rng.Next(6);
        for (int i = 0; i < tailScripts; i++)
            tail.Append("<script src=\"").Append(Scripts[_rng.Next(Scripts.Length)]).Append("\" id=\"tail-script-").Append(i).Append("-js\" defer></script>\n");
        tail.Append("<script>\n(function(){var d=document,e=d.documentElement;e.className=e.className.replace(/\\bno-js\\b/,'js');")
            .Append("var n=d.querySelector('.main-navigation');if(!n){return;}var b=n.querySelector('button');")
            .Append("b&&b.addEventListener('click',function(){n.classList.toggle('toggled');b.setAttribute('aria-expanded',n.classList.contains('toggled'));});})();\n</script>\n");
        if (_rng.Next(2) == 0)
            tail.Append("<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}gtag('js',new Date());gtag('config','G-XXXXXXX');</script>\n");
        string itemClass = wordpress
            ? "menu-item menu-item-type-post_type menu-item-object-page"
            : "nav-item";
        return new SiteTemplate(true, nav, footer, head.ToString(), tail.ToString(), itemClass);
    }
}
