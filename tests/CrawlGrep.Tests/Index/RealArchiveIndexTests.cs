using CrawlGrep.Core.Compression;
using CrawlGrep.Core.Planning.Index;
using CrawlGrep.Core.Warc;
using CrawlGrep.Tests.Conformance;
using CrawlGrep.Tests.EndToEnd;
using Xunit;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Index;

/// <summary>
/// Index-guided scans of real archives: their columnar index is built here from their records (with the project's
/// index writer, as CC's would list them), then <c>--where</c> scans must give exactly the full scan's hits in the
/// records each predicate selects.
/// </summary>
public sealed class RealArchiveIndexTests(ITestOutputHelper output)
{
    private const string Crawl = "CC-MAIN-2024-22";
    private static readonly string[] Archives = ["whirlwind-python/whirlwind.warc.gz", "resiliparse/warcfile.warc.gz", "resiliparse/warcfile.warc", "jwarc/cc.warc.gz", "warcio/example.warc.gz"];
    private static readonly string[] Patterns = ["-e", "(?i)the", "-e", "http", "-e", "[0-9]{4}"];

    [Theory]
    [InlineData("url LIKE 'https://%'")]
    [InlineData("hash(url) % 3 = 0")]
    [InlineData("url_host_tld IN ('com', 'org') AND warc_filename LIKE 'warcfile%'")]
    [InlineData("warc_filename = 'whirlwind.warc.gz'")]
    public void A_where_scan_of_real_archives_gives_the_full_scans_hits_in_the_selected_records(string predicate)
    {
        if (RealData.Require(output) is null) return;
        using var dir = new TempDir();
        var records = new List<CdxRecord>();
        foreach (string archive in Archives)
        {
            string name = Path.GetFileName(archive);
            File.Copy(RealData.PathOf(archive), Path.Combine(dir.Path, name));
            records.AddRange(Responses(File.ReadAllBytes(Path.Combine(dir.Path, name)), name));
        }
        string table = Path.Combine(dir.Path, "cc-index", "table", "cc-main", "warc", $"crawl={Crawl}", "subset=warc");
        Directory.CreateDirectory(table);
        ColumnarIndexWriter.Write(records, Path.Combine(table, "part-00000.parquet"), segment: "1715971057216.39");
        File.WriteAllText(Path.Combine(dir.Path, "collinfo.json"), $"[{{\"id\": \"{Crawl}\", \"name\": \"May 2024 Index\"}}]");

        var env = new Dictionary<string, string?> { ["XDG_CACHE_HOME"] = Path.Combine(dir.Path, "cache") };
        var full = EndToEnd.Cli.Run(dir.Path, env, ["--db", "full.duckdb", "-c", .. Patterns, .. Archives.Select(Path.GetFileName).Select(n => Path.Combine(dir.Path, n!))]);
        Assert.True(full.ExitCode == 0, full.Stderr);
        var guided = EndToEnd.Cli.Run(dir.Path, env, ["--db", "index.duckdb", "-c", "--crawl", Crawl, "--cc-root", dir.Path, "--collinfo", Path.Combine(dir.Path, "collinfo.json"),
            "--where", predicate, .. Patterns]);
        Assert.True(guided.ExitCode is 0 or 1, guided.Stderr);

        // The selection, asked of the index directly: (file, offset) pairs.
        var selected = new HashSet<(string, long)>();
        using (var db = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:"))
        {
            db.Open();
            using var cmd = db.CreateCommand();
            cmd.CommandText = $"SELECT warc_filename, warc_record_offset FROM read_parquet('{Path.Combine(table, "*.parquet")}') WHERE {predicate}";
            using var r = cmd.ExecuteReader();
            while (r.Read()) selected.Add((Path.Combine(dir.Path, r.GetString(0)), Convert.ToInt64(r.GetValue(1))));
        }
        Assert.NotEmpty(selected);
        var expected = IndexCrawl.Hits(Path.Combine(dir.Path, "full.duckdb")).Where(h => selected.Contains((h.Split('|')[0], long.Parse(h.Split('|')[1])))).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, IndexCrawl.Hits(Path.Combine(dir.Path, "index.duckdb")));
    }

    /// <summary>The response records of an archive as CDX records: what CC's indexer would list for them.</summary>
    private static IEnumerable<CdxRecord> Responses(byte[] bytes, string name)
    {
        var format = FormatDetector.Detect(bytes.AsSpan(0, Math.Min(bytes.Length, FormatDetector.ProbeLength)), out _)!.Value;
        var list = new List<CdxRecord>();
        using var reader = new WarcReader(ArchiveDecoders.Create(format, new MemoryStream(bytes), 0, (_, _) => { }), (_, _) => { });
        while (reader.MoveNext())
        {
            var h = reader.Header;
            var type = h.Type;
            string? url = h.TargetUri;
            DateTime? date = h.Date;
            reader.CompleteRecord();
            if (type != WarcRecordType.Response || url is null || date is null || !url.StartsWith("http", StringComparison.Ordinal)) continue;
            list.Add(new CdxRecord
            {
                Url = url, Timestamp = date.Value.ToString(CdxLine.TimestampFormat), Status = 200, Mime = "text/html",
                Offset = reader.CompressedOffset, Length = reader.CompressedLength, Filename = name,
            });
        }
        return list;
    }
}
