using System.Text.Json;
using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Sources;

namespace CrawlGrep.Tests.Planning;

public sealed class CrawlCatalogTests
{
    private static CrawlSelection Week(Func<CrawlSelection, CrawlSelection>? with = null)
    {
        var s = new CrawlSelection { Crawl = CommonCrawlMirror.Week };
        return with is null ? s : with(s);
    }

    [Fact]
    public void Crawls_are_those_of_collinfo_newest_first()
    {
        using var cc = CommonCrawlMirror.Create();
        if (cc is null) return;
        var crawls = cc.Catalog().Crawls();
        Assert.Equal(cc.RealIds, crawls.Select(c => c.Id));
        Assert.True(crawls.Count > 100, $"the real list has {crawls.Count} crawls");
        Assert.All(crawls.Zip(crawls.Skip(1)), p => Assert.True(p.First.From > p.Second.From, $"{p.First.Id} listed before {p.Second.Id}"));
        var week = crawls.Single(c => c.Id == CommonCrawlMirror.Week);
        Assert.Equal("August 2024 Index", week.Name);
        Assert.Equal(DateTimeKind.Utc, week.From!.Value.Kind);
        Assert.True(week.From < week.To);
        Assert.Equal("https://index.commoncrawl.org/CC-MAIN-2024-33-index", week.CdxApi);
    }

    [Fact]
    public void A_mirror_listing_crawls_oldest_first_still_gives_the_newest_as_latest()
    {
        using var cc = CommonCrawlMirror.Create();
        if (cc is null) return;
        var items = JsonSerializer.Deserialize<JsonElement[]>(File.ReadAllBytes(cc.Collinfo))!;
        File.WriteAllText(cc.Collinfo, JsonSerializer.Serialize(items.Reverse()));
        var catalog = cc.Catalog(cache: false);
        Assert.Equal(cc.RealIds, catalog.Crawls().Select(c => c.Id));
        Assert.Equal(cc.Latest, catalog.ResolveCrawl("latest"));
    }

    [Theory]
    [InlineData("CC-MAIN-2024-33")]
    [InlineData("cc-main-2024-33")]
    [InlineData("2024-33")]
    [InlineData(" 2024-33 ")]
    public void A_crawl_is_named_by_its_id_in_any_case_or_its_year_week(string selector)
    {
        using var cc = CommonCrawlMirror.Create();
        if (cc is null) return;
        Assert.Equal("CC-MAIN-2024-33", cc.Catalog().ResolveCrawl(selector));
    }

    [Fact]
    public void Latest_is_the_newest_crawl_and_older_id_shapes_resolve_too()
    {
        using var cc = CommonCrawlMirror.Create();
        if (cc is null) return;
        var catalog = cc.Catalog();
        Assert.Equal(cc.Latest, catalog.ResolveCrawl("latest"));
        Assert.Equal(cc.Latest, catalog.ResolveCrawl("LATEST"));
        Assert.Equal("CC-MAIN-2012", catalog.ResolveCrawl("2012"));
        Assert.Equal("CC-MAIN-2008-2009", catalog.ResolveCrawl("2008-2009"));
    }

    [Fact]
    public void An_unknown_crawl_names_those_of_its_year_else_the_newest()
    {
        using var cc = CommonCrawlMirror.Create();
        if (cc is null) return;
        var catalog = cc.Catalog();
        var sameYear = Assert.Throws<ArgumentException>(() => catalog.ResolveCrawl("CC-MAIN-2024-34"));
        Assert.Contains("'CC-MAIN-2024-34'", sameYear.Message);
        Assert.Contains("CC-MAIN-2024-33", sameYear.Message);
        Assert.Contains("CC-MAIN-2024-51", sameYear.Message);
        Assert.DoesNotContain("CC-MAIN-2023-", sameYear.Message);

        var nothingLike = Assert.Throws<ArgumentException>(() => catalog.ResolveCrawl("nightly"));
        Assert.All(cc.RealIds.Take(5), id => Assert.Contains(id, nothingLike.Message));
        Assert.DoesNotContain(cc.RealIds[5], nothingLike.Message);
        Assert.Throws<ArgumentException>(() => catalog.ResolveCrawl("  "));
    }

    [Theory]
    [InlineData(CrawlFileType.Warc, "/warc/", ".warc.gz")]
    [InlineData(CrawlFileType.Wet, "/wet/", ".warc.wet.gz")]
    [InlineData(CrawlFileType.Wat, "/wat/", ".warc.wat.gz")]
    public void Files_are_the_whole_list_of_the_type_as_full_names_in_list_order(CrawlFileType type, string folder, string suffix)
    {
        using var cc = CommonCrawlMirror.Create();
        if (cc is null) return;
        var files = cc.Catalog().Files(Week(s => s with { Type = type }));
        var expected = CommonCrawlMirror.PathsOf(CommonCrawlMirror.Week, type).Select(p => Path.Combine(cc.Root, p.Replace('/', Path.DirectorySeparatorChar)));
        Assert.Equal(expected, files);
        Assert.All(files, f => Assert.Contains(folder, f.Replace(Path.DirectorySeparatorChar, '/')));
        Assert.All(files, f => Assert.EndsWith(suffix, f));
    }

    [Fact]
    public void A_segment_keeps_only_its_files_and_an_unknown_one_names_real_ones()
    {
        using var cc = CommonCrawlMirror.Create();
        if (cc is null) return;
        var catalog = cc.Catalog();
        string segment = CommonCrawlMirror.SegmentIds(CommonCrawlMirror.Week)[1];
        var files = catalog.Files(Week(s => s with { Segment = segment }));
        Assert.Equal(CommonCrawlMirror.FilesPerSegment, files.Count);
        Assert.All(files, f => Assert.Contains($"/segments/{segment}/", f.Replace(Path.DirectorySeparatorChar, '/')));

        var e = Assert.Throws<ArgumentException>(() => catalog.Files(Week(s => s with { Segment = "1722640353668.99" })));
        Assert.Contains("1722640353668.99", e.Message);
        Assert.All(CommonCrawlMirror.SegmentIds(CommonCrawlMirror.Week), id => Assert.Contains(id, e.Message));
    }

    [Fact]
    public void A_sample_is_fixed_by_its_seed_and_keeps_list_order()
    {
        using var cc = CommonCrawlMirror.Create();
        if (cc is null) return;
        var catalog = cc.Catalog();
        var all = catalog.Files(Week());
        var first = catalog.Files(Week(s => s with { Sample = 7, Seed = 42 }));
        var again = cc.Catalog(cache: false).Files(Week(s => s with { Sample = 7, Seed = 42 }));
        var other = catalog.Files(Week(s => s with { Sample = 7, Seed = 43 }));

        Assert.Equal(7, first.Count);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Equal(7, first.Distinct().Count());
        Assert.All(first, f => Assert.Contains(f, all));
        var positions = first.Select(f => all.ToList().IndexOf(f)).ToList();
        Assert.Equal(positions.Order(), positions);
        // Not just the head of the list: a random sample of 7 in 60 spreads out.
        Assert.True(positions[^1] >= 7, $"sample positions {string.Join(",", positions)}");
        Assert.Equal(all, catalog.Files(Week(s => s with { Sample = 1000, Seed = 42 })));
    }

    [Fact]
    public void A_sample_is_the_same_on_every_machine()
    {
        // Pinned, computed apart from this code (SHA-256 of the seed as int64 LE, then the name): a sample must not
        // change with the runtime or platform, or a job's rerun would read other files.
        string[] items = Enumerable.Range(0, 10).Select(i => $"f{i}").ToArray();
        Assert.Equal(["f1", "f4", "f7"], FileSample.Pick(items, 3, seed: 7));
        Assert.Equal(items, FileSample.Pick(items, 10, seed: 7));
        Assert.Empty(FileSample.Pick(items, 0, seed: 7));
    }

    [Fact]
    public void Files_N_takes_the_first_after_segment_and_sample()
    {
        using var cc = CommonCrawlMirror.Create();
        if (cc is null) return;
        var catalog = cc.Catalog();
        var all = catalog.Files(Week());
        Assert.Equal(all.Take(4), catalog.Files(Week(s => s with { Files = 4 })));
        Assert.Equal(all, catalog.Files(Week(s => s with { Files = 10_000 })));

        string segment = CommonCrawlMirror.SegmentIds(CommonCrawlMirror.Week)[2];
        var inSegment = catalog.Files(Week(s => s with { Segment = segment }));
        Assert.Equal(inSegment.Take(3), catalog.Files(Week(s => s with { Segment = segment, Files = 3 })));

        var sample = catalog.Files(Week(s => s with { Sample = 9, Seed = 5 }));
        Assert.Equal(sample.Take(2), catalog.Files(Week(s => s with { Sample = 9, Seed = 5, Files = 2 })));
        Assert.Throws<ArgumentException>(() => catalog.Files(Week(s => s with { Files = 0 })));
        Assert.Throws<ArgumentException>(() => catalog.Files(Week(s => s with { Sample = -1 })));
    }

    [Fact]
    public void Files_of_latest_come_from_the_newest_crawls_lists()
    {
        using var cc = CommonCrawlMirror.Create();
        if (cc is null) return;
        var files = cc.Catalog().Files(new CrawlSelection { Crawl = "latest", Type = CrawlFileType.Wet, Files = 1 });
        Assert.Contains($"crawl-data/{cc.Latest}/segments/", Assert.Single(files).Replace(Path.DirectorySeparatorChar, '/'));
    }

    [Fact]
    public void A_missing_list_is_an_error_naming_the_crawl_and_the_file()
    {
        using var cc = CommonCrawlMirror.Create();
        if (cc is null) return;
        var catalog = cc.Catalog();
        Assert.Equal(CommonCrawlMirror.FilesPerSegment * CommonCrawlMirror.Segments, catalog.Files(new CrawlSelection { Crawl = "2012" }).Count);
        var e = Assert.Throws<IOException>(() => catalog.Files(new CrawlSelection { Crawl = "2012", Type = CrawlFileType.Wat }));
        Assert.Contains("CC-MAIN-2012", e.Message);
        Assert.Contains("wat.paths.gz", e.Message);
        Assert.Contains("not found", e.Message);
    }

    [Fact]
    public void A_list_that_is_not_gzip_is_an_error_naming_it()
    {
        using var cc = CommonCrawlMirror.Create();
        if (cc is null) return;
        string list = Path.Combine(cc.Root, "crawl-data", CommonCrawlMirror.Week, "wet.paths.gz");
        File.WriteAllText(list, "crawl-data/x/segments/1/wet/a.warc.wet.gz\n");
        var e = Assert.Throws<InvalidDataException>(() => cc.Catalog().Files(Week(s => s with { Type = CrawlFileType.Wet })));
        Assert.Contains(list, e.Message);
    }

    [Fact]
    public void The_crawl_list_is_cached_and_served_from_the_cache_while_fresh()
    {
        using var cc = CommonCrawlMirror.Create();
        if (cc is null) return;
        var first = cc.Catalog();
        Assert.Equal(cc.RealIds.Length, first.Crawls().Count);
        string cache = first.CollinfoCachePath!;
        Assert.True(File.Exists(cache), "the crawl list was cached");
        Assert.Equal(File.ReadAllBytes(cc.Collinfo), File.ReadAllBytes(cache));

        // The source changes, then disappears: a fresh cache answers both times, without a warning.
        File.WriteAllText(cc.Collinfo, """[{"id":"CC-MAIN-2030-01","name":"new","from":"2030-01-01T00:00:00","to":"2030-01-14T00:00:00"}]""");
        var cached = cc.Catalog();
        Assert.Equal(cc.RealIds, cached.Crawls().Select(c => c.Id));
        Assert.Null(cached.Warning);
        File.Delete(cc.Collinfo);
        Assert.Equal(cc.Latest, cc.Catalog().ResolveCrawl("latest"));
    }

    [Fact]
    public void Refresh_or_an_old_cache_fetches_again_and_a_failed_fetch_serves_the_stale_copy_with_a_warning()
    {
        using var cc = CommonCrawlMirror.Create();
        if (cc is null) return;
        string cache = cc.Catalog().CollinfoCachePath!;
        cc.Catalog().Crawls();
        const string newer = """[{"id":"CC-MAIN-2030-01","name":"new","from":"2030-01-01T00:00:00","to":"2030-01-14T00:00:00"}]""";
        File.WriteAllText(cc.Collinfo, newer);

        var refreshed = cc.Catalog();
        Assert.Equal(["CC-MAIN-2030-01"], refreshed.Crawls(refresh: true).Select(c => c.Id));
        Assert.Equal(newer, File.ReadAllText(cache));

        File.Delete(cc.Collinfo);
        var offline = cc.Catalog();
        Assert.Equal(["CC-MAIN-2030-01"], offline.Crawls(refresh: true).Select(c => c.Id));
        Assert.Contains(cc.Collinfo, offline.Warning);
        Assert.Contains("cached", offline.Warning);

        // A day-old cache is not fresh: the next look fetches (and, the source gone, warns).
        File.SetLastWriteTimeUtc(cache, DateTime.UtcNow - CrawlCatalog.CacheLifetime - TimeSpan.FromMinutes(1));
        var old = cc.Catalog();
        Assert.Single(old.Crawls());
        Assert.NotNull(old.Warning);
        File.WriteAllText(cc.Collinfo, "[]");
        var renewed = cc.Catalog();
        Assert.Empty(renewed.Crawls());
        Assert.Null(renewed.Warning);

        // No cache and no source: an error naming the source.
        File.Delete(cc.Collinfo);
        var e = Assert.Throws<IOException>(() => cc.Catalog(cache: false).Crawls());
        Assert.Contains(cc.Collinfo, e.Message);
    }

    [Fact]
    public void Two_crawl_lists_do_not_share_a_cache()
    {
        using var cc = CommonCrawlMirror.Create();
        if (cc is null) return;
        string other = Path.Combine(cc.Root, "other-collinfo.json");
        File.WriteAllText(other, """[{"id":"CC-MAIN-2030-01","name":"new","from":"2030-01-01T00:00:00"}]""");
        var real = cc.Catalog();
        var mirror = cc.Catalog(collinfo: other);
        Assert.Equal(cc.RealIds.Length, real.Crawls().Count);
        Assert.Single(mirror.Crawls());
        Assert.NotEqual(real.CollinfoCachePath, mirror.CollinfoCachePath);
        Assert.Equal(cc.RealIds.Length, cc.Catalog().Crawls().Count);
    }

    [Theory]
    [InlineData("{\"id\":\"CC-MAIN-2024-33\"}", "array")]
    [InlineData("<html>rate limited</html>", "not JSON")]
    [InlineData("[{\"name\":\"no id\"}]", "item 0")]
    [InlineData("[\"CC-MAIN-2024-33\"]", "item 0")]
    public void A_crawl_list_that_is_not_one_is_an_error_naming_its_source(string content, string problem)
    {
        using var dir = new EndToEnd.TempDir();
        string collinfo = dir.File("collinfo.json");
        File.WriteAllText(collinfo, content);
        var catalog = new CrawlCatalog(n => new LocalFileSource(n), dir.Path, collinfo, dir.File("cache"));
        var e = Assert.Throws<InvalidDataException>(() => catalog.Crawls());
        Assert.Contains(collinfo, e.Message);
        Assert.Contains(problem, e.Message);
        Assert.False(File.Exists(catalog.CollinfoCachePath), "a list that does not parse is not cached");
    }

    [Theory]
    [InlineData("https://data.commoncrawl.org/", "https://data.commoncrawl.org/crawl-data/a/warc.paths.gz")]
    [InlineData("https://data.commoncrawl.org", "https://data.commoncrawl.org/crawl-data/a/warc.paths.gz")]
    [InlineData("s3://commoncrawl/", "s3://commoncrawl/crawl-data/a/warc.paths.gz")]
    [InlineData("s3://commoncrawl", "s3://commoncrawl/crawl-data/a/warc.paths.gz")]
    [InlineData("s3://bucket/mirror/cc/", "s3://bucket/mirror/cc/crawl-data/a/warc.paths.gz")]
    public void A_remote_root_joins_with_one_slash(string root, string joined) =>
        Assert.Equal(joined, CrawlCatalog.Join(root, "crawl-data/a/warc.paths.gz"));

    [Fact]
    public void A_local_root_with_or_without_a_trailing_separator_gives_the_same_files()
    {
        using var cc = CommonCrawlMirror.Create();
        if (cc is null) return;
        string bare = cc.Root.TrimEnd(Path.DirectorySeparatorChar);
        var without = cc.Catalog(root: bare).Files(Week(s => s with { Files = 3 }));
        var with = cc.Catalog(root: bare + Path.DirectorySeparatorChar).Files(Week(s => s with { Files = 3 }));
        Assert.Equal(without, with);
        Assert.All(without, f => Assert.StartsWith(Path.Combine(bare, "crawl-data", CommonCrawlMirror.Week, "segments"), f));
        Assert.DoesNotContain(Path.DirectorySeparatorChar + "" + Path.DirectorySeparatorChar, with[0]);
    }

    [Fact]
    public void A_remote_root_is_asked_for_its_lists_once_and_names_files_under_itself()
    {
        using var cc = CommonCrawlMirror.Create();
        if (cc is null) return;
        const string server = "https://mirror.example";
        var asked = new List<string>();
        CrawlCatalog Catalog(string root) => new(name =>
        {
            asked.Add(name);
            string local = name.StartsWith(server, StringComparison.Ordinal) ? CrawlCatalog.Join(cc.Root, name[(server.Length + 1)..]) : name;
            return new LocalFileSource(local);
        }, root, cc.Collinfo, cc.Cache);

        var files = Catalog(server + "/").Files(Week(s => s with { Files = 2 }));
        Assert.Equal(CommonCrawlMirror.PathsOf(CommonCrawlMirror.Week, CrawlFileType.Warc).Take(2).Select(p => $"{server}/{p}"), files);
        Assert.Contains($"{server}/crawl-data/{CommonCrawlMirror.Week}/warc.paths.gz", asked);

        // A published list never changes: another catalog on the same root reads it from the cache.
        asked.Clear();
        Assert.Equal(files, Catalog(server).Files(Week(s => s with { Files = 2 })));
        Assert.DoesNotContain(asked, n => n.EndsWith("paths.gz", StringComparison.Ordinal));
    }

    [Fact]
    public void Defaults_come_from_the_environment()
    {
        // The variables through a lookup of the test's own: setting the process's would reach every test running beside this one.
        var set = new Dictionary<string, string?>
        {
            [CrawlCatalog.RootVariable] = "https://mirror.example/cc/",
            ["XDG_CACHE_HOME"] = Path.Combine(Path.GetTempPath(), "xdg"),
        };
        Func<string, string?> lookup = name => set.GetValueOrDefault(name);
        Assert.Equal("https://mirror.example/cc/", CrawlCatalog.DefaultDataRoot(lookup));
        Assert.Equal("https://index.commoncrawl.org/collinfo.json", CrawlCatalog.DefaultCollinfo(lookup));
        Assert.Equal(Path.Combine(Path.GetTempPath(), "xdg", "crawlgrep"), CrawlCatalog.DefaultCacheDir(lookup));

        set.Clear();
        set[CrawlCatalog.CollinfoVariable] = "/mirror/collinfo.json";
        set["XDG_CACHE_HOME"] = ""; // empty counts as unset
        Assert.Equal(SourceResolver.HasAwsCredentials() ? "s3://commoncrawl/" : "https://data.commoncrawl.org/", CrawlCatalog.DefaultDataRoot(lookup));
        Assert.Equal("/mirror/collinfo.json", CrawlCatalog.DefaultCollinfo(lookup));
        Assert.Equal(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "crawlgrep"), CrawlCatalog.DefaultCacheDir(lookup));
    }
}
