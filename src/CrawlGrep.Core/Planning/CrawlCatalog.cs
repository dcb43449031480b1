using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CrawlGrep.Core.Sources;

namespace CrawlGrep.Core.Planning;

/// <summary>
/// Common Crawl's list of crawls (<c>collinfo.json</c>) and each crawl's file lists
/// (<c>crawl-data/{crawl}/{warc,wet,wat}.paths.gz</c>), read through sources, so a local mirror, S3 and HTTPS
/// work alike. The crawl list is cached for a day; the file lists of a remote root, which never change once
/// published, are cached for good.
/// </summary>
public sealed partial class CrawlCatalog
{
    public const string S3Root = "s3://commoncrawl/";
    public const string HttpsRoot = "https://data.commoncrawl.org/";
    public const string CollinfoUrl = "https://index.commoncrawl.org/collinfo.json";
    public const string RootVariable = "CRAWLGREP_CC_ROOT";
    public const string CollinfoVariable = "CRAWLGREP_COLLINFO";

    /// <summary>How long a cached crawl list is used without asking again: Common Crawl adds a crawl about monthly.</summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromHours(24);

    private readonly Func<string, IByteSource> _open;
    private IReadOnlyList<CrawlInfo>? _crawls;

    /// <param name="open">Opens a source by name (e.g. <see cref="SourceResolver.Open"/>).</param>
    /// <param name="dataRoot">Where <c>crawl-data/</c> lives: <see cref="S3Root"/>, <see cref="HttpsRoot"/> or a local folder.</param>
    /// <param name="collinfo">The crawl list: a URL or a local path.</param>
    /// <param name="cacheDir">Where fetched lists are kept; null caches nothing.</param>
    public CrawlCatalog(Func<string, IByteSource> open, string dataRoot, string collinfo, string? cacheDir)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataRoot);
        ArgumentException.ThrowIfNullOrWhiteSpace(collinfo);
        _open = open;
        DataRoot = dataRoot;
        Collinfo = collinfo;
        CacheDir = cacheDir;
    }

    public string DataRoot { get; }
    public string Collinfo { get; }
    public string? CacheDir { get; }

    /// <summary>Set when the last <see cref="Crawls"/> could not fetch the list and served a stale cached copy instead.</summary>
    public string? Warning { get; private set; }

    /// <summary>The cached copy of <see cref="Collinfo"/>, named by a hash of the source so that two sources never share one.</summary>
    public string? CollinfoCachePath => CacheDir is null ? null : Path.Combine(CacheDir, $"collinfo-{CacheKey(Collinfo)}.json");

    /// <summary><c>CRAWLGREP_CC_ROOT</c>, else S3 when AWS credentials are configured (faster, and unthrottled inside AWS), else HTTPS.</summary>
    /// <param name="variable">Reads an environment variable: the process's unless given (tests pass their own, not touching the process's).</param>
    public static string DefaultDataRoot(Func<string, string?>? variable = null) =>
        NonEmpty((variable ?? Environment.GetEnvironmentVariable)(RootVariable)) ?? (SourceResolver.HasAwsCredentials() ? S3Root : HttpsRoot);

    /// <summary><c>CRAWLGREP_COLLINFO</c>, else Common Crawl's index server.</summary>
    public static string DefaultCollinfo(Func<string, string?>? variable = null) =>
        NonEmpty((variable ?? Environment.GetEnvironmentVariable)(CollinfoVariable)) ?? CollinfoUrl;

    /// <summary><c>$XDG_CACHE_HOME/crawlgrep</c>, else <c>~/.cache/crawlgrep</c>.</summary>
    public static string DefaultCacheDir(Func<string, string?>? variable = null)
    {
        string baseDir = NonEmpty((variable ?? Environment.GetEnvironmentVariable)("XDG_CACHE_HOME"))
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(baseDir, "crawlgrep");
    }

    /// <summary>
    /// The crawls, newest first. A cached copy younger than <see cref="CacheLifetime"/> is used unless
    /// <paramref name="refresh"/>; when fetching fails, any cached copy is used and <see cref="Warning"/> says so.
    /// Throws <see cref="IOException"/> when the list cannot be read at all, <see cref="InvalidDataException"/> when it is not a crawl list.
    /// </summary>
    public IReadOnlyList<CrawlInfo> Crawls(bool refresh = false)
    {
        if (_crawls is not null && !refresh) return _crawls;
        Warning = null;
        string? cache = CollinfoCachePath;
        if (!refresh && cache is not null && IsFresh(cache) && ReadCachedCrawls(cache) is { } fresh) return _crawls = fresh;

        byte[] json;
        try { json = ReadAll(Collinfo); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (cache is not null && ReadCachedCrawls(cache) is { } stale)
            {
                var age = DateTime.UtcNow - File.GetLastWriteTimeUtc(cache);
                Warning = $"cannot fetch the crawl list {Collinfo} ({Describe(e)}); using the copy cached {Age(age)} ago";
                return _crawls = stale;
            }
            throw new IOException($"cannot read the crawl list {Collinfo}: {Describe(e)}", e);
        }
        var crawls = CollinfoParser.Parse(json, Collinfo);
        if (cache is not null) WriteCache(cache, json);
        return _crawls = crawls;
    }

    /// <summary>
    /// The crawl id <paramref name="selector"/> names: "latest", an id in any case, or an id's year-week
    /// (<c>2024-33</c>). Throws <see cref="ArgumentException"/> naming the closest ids when there is none.
    /// </summary>
    public string ResolveCrawl(string selector)
    {
        string s = selector.Trim();
        if (s.Length == 0) throw new ArgumentException("no crawl given: name one (e.g. CC-MAIN-2024-33) or 'latest'");
        var crawls = Crawls();
        if (crawls.Count == 0) throw new InvalidDataException($"{Collinfo}: the crawl list is empty");
        if (s.Equals("latest", StringComparison.OrdinalIgnoreCase)) return crawls[0].Id;
        foreach (string candidate in new[] { s, "CC-MAIN-" + s })
            if (crawls.FirstOrDefault(c => c.Id.Equals(candidate, StringComparison.OrdinalIgnoreCase)) is { } hit) return hit.Id;
        throw new ArgumentException($"unknown crawl '{s}'; {Closest(s, crawls)} (or 'latest')");
    }

    /// <summary>
    /// The files <paramref name="selection"/> picks, as full source names under <see cref="DataRoot"/>, in the order
    /// of the crawl's paths list. A sample or a count larger than the list gives the whole list.
    /// </summary>
    public IReadOnlyList<string> Files(CrawlSelection selection)
    {
        if (selection.Sample is <= 0) throw new ArgumentException($"a sample must be at least 1 file, not {selection.Sample}");
        if (selection.Files is <= 0) throw new ArgumentException($"a file count must be at least 1, not {selection.Files}");
        string crawl = ResolveCrawl(selection.Crawl);
        IReadOnlyList<string> paths = Paths(crawl, selection.Type);
        if (selection.Segment is { } segment) paths = InSegment(paths, segment, crawl, selection.Type);
        if (selection.Sample is int sample) paths = FileSample.Pick(paths, sample, selection.Seed);
        if (selection.Files is int count && count < paths.Count) paths = paths.Take(count).ToList();
        return paths.Select(p => Join(DataRoot, p)).ToList();
    }

    /// <summary>Every path in a crawl's list of <paramref name="type"/> files, relative to the data root, as listed.</summary>
    public IReadOnlyList<string> Paths(string crawlId, CrawlFileType type)
    {
        string name = Join(DataRoot, PathsListName(crawlId, type));
        byte[] gzip;
        try { gzip = ReadPathsList(name); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot read the {TypeName(type)} file list of {crawlId}: {name}: {Describe(e)}", e);
        }
        try { return Lines(gzip); }
        catch (InvalidDataException e) { throw new InvalidDataException($"{name}: not a gzip'd paths list ({e.Message})", e); }
    }

    /// <summary>The list of a crawl's <paramref name="type"/> files, relative to the data root.</summary>
    public static string PathsListName(string crawlId, CrawlFileType type) => $"crawl-data/{crawlId}/{TypeName(type)}.paths.gz";

    /// <summary><paramref name="relative"/> (slash-separated) under <paramref name="root"/>: URLs with exactly one slash between, local folders with the platform's separator.</summary>
    public static string Join(string root, string relative)
    {
        if (SourceProviders.IsRemote(root)) return root.TrimEnd('/') + "/" + relative.TrimStart('/');
        return Path.Combine(root, relative.TrimStart('/').Replace('/', Path.DirectorySeparatorChar));
    }

    /// <summary>The segment id of a paths-list entry (<c>.../segments/{id}/...</c>), or null.</summary>
    public static string? SegmentOf(string path)
    {
        const string marker = "/segments/";
        int at = path.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0) return null;
        int start = at + marker.Length, end = path.IndexOf('/', start);
        return end < 0 ? null : path[start..end];
    }

    private static IReadOnlyList<string> InSegment(IReadOnlyList<string> paths, string segment, string crawl, CrawlFileType type)
    {
        string wanted = segment.Trim().Trim('/');
        var kept = paths.Where(p => SegmentOf(p) == wanted).ToList();
        if (kept.Count > 0) return kept;
        var segments = paths.Select(SegmentOf).OfType<string>().Distinct().ToList();
        string some = segments.Count == 0 ? "its list names no segments"
            : $"its {segments.Count} segment{(segments.Count == 1 ? "" : "s")} include {string.Join(", ", segments.Take(5))}";
        throw new ArgumentException($"{crawl} has no segment '{wanted}' among its {TypeName(type)} files; {some}");
    }

    /// <summary>The ids nearest a selector that names no crawl: those of the year it names, else the newest.</summary>
    private static string Closest(string selector, IReadOnlyList<CrawlInfo> crawls)
    {
        if (YearPattern().Match(selector) is { Success: true } year)
        {
            var sameYear = crawls.Where(c => c.Id.Contains("-" + year.Value, StringComparison.Ordinal)).Select(c => c.Id).ToList();
            if (sameYear.Count > 0) return $"crawls of {year.Value}: {string.Join(", ", sameYear)}";
        }
        return $"the newest crawls: {string.Join(", ", crawls.Take(5).Select(c => c.Id))}";
    }

    [GeneratedRegex(@"(?<!\d)(?:19|20)\d\d(?!\d)")]
    private static partial Regex YearPattern();

    private IReadOnlyList<CrawlInfo>? ReadCachedCrawls(string path)
    {
        try { return CollinfoParser.Parse(File.ReadAllBytes(path), path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException) { return null; } // a damaged cache is fetched afresh
    }

    /// <summary>A paths list; those of a remote root come from the cache once fetched (a published crawl's lists do not change).</summary>
    private byte[] ReadPathsList(string name)
    {
        if (CacheDir is null || !SourceProviders.IsRemote(name)) return ReadAll(name);
        string cache = Path.Combine(CacheDir, $"paths-{CacheKey(name)}.gz");
        if (File.Exists(cache))
        {
            try
            {
                byte[] cached = File.ReadAllBytes(cache);
                Lines(cached); // checks the copy whole before trusting it
                return cached;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException) { } // fetched afresh
        }
        byte[] fetched = ReadAll(name);
        WriteCache(cache, fetched);
        return fetched;
    }

    private static List<string> Lines(byte[] gzip)
    {
        using var reader = new StreamReader(new GZipStream(new MemoryStream(gzip, writable: false), CompressionMode.Decompress), Encoding.UTF8);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            string path = line.Trim();
            if (path.Length > 0) lines.Add(path);
        }
        return lines;
    }

    private byte[] ReadAll(string name)
    {
        var source = _open(name);
        using var stream = source.OpenRange(0, source.Length);
        using var copy = new MemoryStream(source.Length is > 0 and < int.MaxValue ? (int)source.Length : 0);
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Writes through a temporary file and a rename, so a reader never sees half a copy. A cache that cannot be written is only a slower next run.</summary>
    private static void WriteCache(string path, byte[] bytes)
    {
        string temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temp); } catch (Exception d) when (d is IOException or UnauthorizedAccessException) { }
        }
    }

    private static bool IsFresh(string path) => File.Exists(path) && DateTime.UtcNow - File.GetLastWriteTimeUtc(path) < CacheLifetime;

    /// <summary>Local sources are keyed by their full path: the same relative path from two folders is two sources.</summary>
    private static string CacheKey(string source)
    {
        string key = SourceProviders.IsRemote(source) ? source : Path.GetFullPath(source);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
    }

    private static string TypeName(CrawlFileType type) => type.ToString().ToLowerInvariant();

    private static string Describe(Exception e) => e is FileNotFoundException or DirectoryNotFoundException ? "not found" : e.Message;

    private static string Age(TimeSpan age) =>
        age.TotalDays >= 2 ? $"{(int)age.TotalDays} days" : age.TotalHours >= 2 ? $"{(int)age.TotalHours} hours" : $"{Math.Max(0, (int)age.TotalMinutes)} minutes";

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
