namespace CrawlGrep.Core.Planning;

/// <summary>One crawl as <c>collinfo.json</c> describes it.</summary>
/// <param name="Id">e.g. <c>CC-MAIN-2024-33</c>: the folder under <c>crawl-data/</c>.</param>
/// <param name="Name">e.g. <c>August 2024 Index</c>.</param>
/// <param name="From">When the crawl started (UTC), when given.</param>
/// <param name="To">When the crawl ended (UTC), when given.</param>
/// <param name="CdxApi">The crawl's CDX index endpoint.</param>
/// <param name="Timegate">The crawl's Memento timegate.</param>
public sealed record CrawlInfo(string Id, string Name, DateTime? From, DateTime? To, string? CdxApi, string? Timegate);
