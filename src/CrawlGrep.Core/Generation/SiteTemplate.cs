namespace CrawlGrep.Core.Generation;

/// <summary>
/// The boilerplate of one site, the same on each of its pages: navigation, footer links, head and tail markup.
/// Markup is most of a real page's bytes and is what makes HTML compress about 4:1.
/// </summary>
/// <param name="Rich">A CMS-style site (WordPress or Bootstrap markup, inline CSS, scripts) rather than a bare one.</param>
/// <param name="Nav">Menu items (label, URL).</param>
/// <param name="FooterLinks">Footer links (label, URL).</param>
/// <param name="HeadMarkup">Invisible markup for the head: preloads, icons, stylesheets, inline CSS, scripts.</param>
/// <param name="TailMarkup">Invisible markup before <c>&lt;/body&gt;</c>: script tags and inline scripts.</param>
/// <param name="MenuItemClass">Class attribute of menu items.</param>
internal sealed record SiteTemplate(
    bool Rich,
    (string Label, string Url)[] Nav,
    (string Label, string Url)[] FooterLinks,
    string HeadMarkup,
    string TailMarkup,
    string MenuItemClass);
