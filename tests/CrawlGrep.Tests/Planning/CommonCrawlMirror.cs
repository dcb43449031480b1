using System.IO.Compression;
using System.Text;
using System.Text.Json;
using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Sources;
using CrawlGrep.Tests.Conformance;

namespace CrawlGrep.Tests.Planning;

/// <summary>
/// A local copy of Common Crawl's layout: the real collinfo.json, and for three of its crawls generated
/// <c>crawl-data/{id}/{warc,wet,wat}.paths.gz</c> lists of a few segments each, named as CC names them.
/// The oldest of the three (an ARC-era crawl) has a WARC list only, as on the real server.
/// </summary>
internal sealed class CommonCrawlMirror : IDisposable
{
    public const string Week = "CC-MAIN-2024-33";
    public const string Old = "CC-MAIN-2012";
    public const int Segments = 3;
    public const int FilesPerSegment = 20;

    private CommonCrawlMirror(string root, string[] realIds)
    {
        Root = root;
        RealIds = realIds;
    }

    /// <summary>The mirror, or null when the real data is absent (the test then ends without checking).</summary>
    public static CommonCrawlMirror? Create()
    {
        if (RealData.Require() is not { } real) return null;
        string root = Directory.CreateTempSubdirectory("crawlgrep-cc-").FullName;
        string collinfo = Path.Combine(real, "common_crawl_ex", "collinfo.json");
        File.Copy(collinfo, Path.Combine(root, "collinfo.json"));
        using var doc = JsonDocument.Parse(File.ReadAllBytes(collinfo));
        var ids = doc.RootElement.EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToArray();
        var mirror = new CommonCrawlMirror(root, ids);
        foreach (string id in new[] { ids[0], Week }) foreach (var type in Enum.GetValues<CrawlFileType>()) mirror.WriteList(id, type);
        mirror.WriteList(Old, CrawlFileType.Warc);
        return mirror;
    }

    public string Root { get; }
    public string Collinfo => Path.Combine(Root, "collinfo.json");
    public string Cache => Path.Combine(Root, "cache");

    /// <summary>The crawl ids of the real collinfo.json, in its order.</summary>
    public string[] RealIds { get; }

    public string Latest => RealIds[0];

    /// <summary>The segment ids of a crawl's lists.</summary>
    public static string[] SegmentIds(string crawl) =>
        Enumerable.Range(0, Segments).Select(s => $"{1722640353668L + crawl.Sum(c => c) * 1000L}.{s * 7}").ToArray();

    /// <summary>The relative paths written into a crawl's list of <paramref name="type"/> files, in list order.</summary>
    public static List<string> PathsOf(string crawl, CrawlFileType type)
    {
        string dir = type.ToString().ToLowerInvariant();
        string suffix = type switch { CrawlFileType.Wet => ".warc.wet.gz", CrawlFileType.Wat => ".warc.wat.gz", _ => ".warc.gz" };
        var paths = new List<string>();
        int n = 0;
        foreach (string segment in SegmentIds(crawl))
            for (int f = 0; f < FilesPerSegment; f++, n++)
                paths.Add($"crawl-data/{crawl}/segments/{segment}/{dir}/CC-MAIN-20240802234508-20240803024508-{n:D5}{suffix}");
        return paths;
    }

    /// <summary>A catalog over the mirror (or <paramref name="root"/>), caching in <see cref="Cache"/> unless told not to.</summary>
    public CrawlCatalog Catalog(string? root = null, string? collinfo = null, bool cache = true) =>
        new(name => new LocalFileSource(name), root ?? Root, collinfo ?? Collinfo, cache ? Cache : null);

    private void WriteList(string crawl, CrawlFileType type)
    {
        string file = Path.Combine(Root, CrawlCatalog.PathsListName(crawl, type).Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        using var gzip = new GZipStream(File.Create(file), CompressionLevel.Optimal);
        // CC's lists end each line with \n; a blank last line must not become a path.
        gzip.Write(Encoding.UTF8.GetBytes(string.Join("\n", PathsOf(crawl, type)) + "\n\n"));
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
