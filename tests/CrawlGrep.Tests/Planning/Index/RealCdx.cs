using CrawlGrep.Tests.Conformance;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Planning.Index;

/// <summary>The genuine CDX lines of the real data (<c>common_crawl_ex/</c>, see SOURCES.md).</summary>
internal static class RealCdx
{
    /// <summary>100 CDXJ lines of CC-MAIN-2021-43's index files.</summary>
    public const string IndexSnippet = "common_crawl_ex/index_snippet";

    /// <summary>1285 CDXJ lines as index.commoncrawl.org answered for CC-MAIN-2021-43.</summary>
    public const string ApiResponse = "common_crawl_ex/api_response";

    /// <summary>The lines of <paramref name="relative"/>, or null when the real data is absent (the test then ends).</summary>
    public static string[]? Lines(string relative, ITestOutputHelper output) =>
        RealData.Require(output) is null ? null : File.ReadAllLines(RealData.PathOf(relative));
}
