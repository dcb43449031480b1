namespace CrawlGrep.Core.Generation;

/// <summary>
/// Findable strings the generator plants in the visible text of HTML pages at known rates, and the keys of
/// <see cref="CorpusResult.PlantedCounts"/>. They appear in the response payloads of the WARC and in the
/// WET text, never in titles, links or URLs (so not in the WAT). No vocabulary word contains any of them.
/// </summary>
public static class PlantedTokens
{
    /// <summary>The literal <c>crawlgrep</c>, lowercase, as a word in a sentence (about 8% of HTML pages, 1–3 times).</summary>
    public const string Crawlgrep = "crawlgrep";

    /// <summary>The mixed-case <c>CrawlGrep</c> (about 2% of HTML pages), for case-insensitive matching.</summary>
    public const string CrawlgrepMixedCase = "CrawlGrep";

    /// <summary>Key for e-mail addresses at example.org, example.com or example.net (about 15% of HTML pages, 1–2 each).</summary>
    public const string Email = "email";

    /// <summary>Key for phone numbers <c>+1-555-0100</c> … <c>+1-555-0199</c> (about 10% of HTML pages).</summary>
    public const string Phone = "phone";

    /// <summary>Every planted phone number starts with this.</summary>
    public const string PhonePrefix = "+1-555-01";

    /// <summary>A "Lorem ipsum dolor sit amet…" paragraph (about 5% of HTML pages).</summary>
    public const string LoremIpsum = "Lorem ipsum";

    /// <summary>A regex that finds the planted addresses (and, outside page text, the operator address in warcinfo records).</summary>
    public const string EmailPattern = @"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}";

    public static IReadOnlyList<string> Keys { get; } = [Crawlgrep, CrawlgrepMixedCase, Email, Phone, LoremIpsum];
}
