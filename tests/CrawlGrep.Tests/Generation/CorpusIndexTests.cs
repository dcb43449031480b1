using System.IO.Compression;
using System.Text;
using CrawlGrep.Core.Compression;
using CrawlGrep.Core.Generation;
using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Planning.Index;
using CrawlGrep.Core.Sources;
using CrawlGrep.Core.Warc;
using CrawlGrep.Tests.EndToEnd;
using CrawlGrep.Tests.Planning.Index;

namespace CrawlGrep.Tests.Generation;

public sealed class CorpusIndexTests
{
    private const long Small = 600 * 1024;

    private static (CorpusResult Result, CorpusIndex Index) Generate(TempDir dir, WarcCompression compression = WarcCompression.Gzip, int seed = 5)
    {
        var result = new CorpusGenerator(new CorpusOptions { Seed = seed, TargetSize = Small, Compression = compression, Kinds = CorpusKinds.Warc, Captures = true })
            .Generate(dir.Path);
        return (result, CorpusIndexWriter.Write(dir.Path, result));
    }

    /// <summary>The index rows, fetch_time as epoch milliseconds, in file order.</summary>
    private static List<Dictionary<string, object?>> Rows(string parquet) =>
        DuckDbRows.Query($"SELECT * EXCLUDE (fetch_time), epoch_ms(fetch_time) AS fetch_time_ms FROM read_parquet({DuckDbRows.Literal(parquet)}) ORDER BY warc_record_offset");

    private static List<string> CdxLines(string shard)
    {
        using var gzip = new GZipStream(File.OpenRead(shard), CompressionMode.Decompress); // reads every member
        using var text = new StreamReader(gzip, Encoding.UTF8);
        var lines = new List<string>();
        while (text.ReadLine() is { } line) lines.Add(line);
        return lines;
    }

    [Fact]
    public void The_parquet_index_has_common_crawls_columns_types_and_partitions()
    {
        using var dir = new TempDir();
        var (_, index) = Generate(dir);
        Assert.Equal(CrawlCatalog.Join(dir.Path, "cc-index/table/cc-main/warc/crawl=CC-MAIN-2024-22/subset=warc/part-00000.parquet"), index.Parquet);
        // The file alone (DuckDB would add the partitions it sees in the path on its own).
        Assert.Equal(ColumnarIndexSchema.Columns.Select(c => (c.Name, c.DuckDbType)),
            DuckDbRows.Describe($"SELECT * FROM read_parquet({DuckDbRows.Literal(index.Parquet)}, hive_partitioning = false)"));

        string table = DuckDbRows.Literal(CrawlCatalog.Join(dir.Path, ColumnarIndexSchema.FilesGlob()));
        var withPartitions = DuckDbRows.Describe($"SELECT * FROM read_parquet({table}, hive_partitioning = true)");
        Assert.Equal(ColumnarIndexSchema.Columns.Concat(ColumnarIndexSchema.PartitionColumns).Select(c => (c.Name, c.DuckDbType)), withPartitions);
        var partition = Assert.Single(DuckDbRows.Query($"SELECT DISTINCT crawl, subset FROM read_parquet({table}, hive_partitioning = true)"));
        Assert.Equal(("CC-MAIN-2024-22", "warc"), ((string?)partition["crawl"], (string?)partition["subset"]));
    }

    [Theory]
    [InlineData(WarcCompression.Gzip)]
    [InlineData(WarcCompression.Zstd)]
    [InlineData(WarcCompression.Plain)]
    public void Each_row_reads_back_as_the_response_record_it_names(WarcCompression compression)
    {
        using var dir = new TempDir();
        var (result, index) = Generate(dir, compression);
        var warc = result.Files.Single(f => f.Kind == CorpusKinds.Warc);
        var rows = Rows(index.Parquet);
        Assert.Equal(result.Pages, rows.Count);
        Assert.Equal(result.Pages, index.Records);
        // warcinfo, then request, response, metadata per page: the responses are every third record from the third.
        var responses = warc.Index.Where((_, i) => i % 3 == 2).Select(r => (r.Offset, r.Length));
        Assert.Equal(responses, rows.Select(r => ((long)(int)r["warc_record_offset"]!, (long)(int)r["warc_record_length"]!)));

        var source = new LocalFileSource(warc.Path!);
        byte[]? dictionary = compression == WarcCompression.Zstd ? ZstdDecoder.ReadDictionary(source) : null;
        foreach (var row in rows)
        {
            string file = Path.Combine(dir.Path, (string)row["warc_filename"]!);
            Assert.Equal(warc.Path, file);
            long offset = (int)row["warc_record_offset"]!, length = (int)row["warc_record_length"]!;
            var warnings = new List<string>();
            using var range = source.OpenRange(offset, offset + length);
            var format = compression switch { WarcCompression.Gzip => ArchiveFormat.Gzip, WarcCompression.Zstd => ArchiveFormat.Zstd, _ => ArchiveFormat.Plain };
            using var reader = new WarcReader(ArchiveDecoders.Create(format, range, offset, (at, m) => warnings.Add($"{at}: {m}"), dictionary),
                (at, m) => warnings.Add($"{at}: {m}"));
            Assert.True(reader.MoveNext());
            Assert.Equal(WarcRecordType.Response, reader.Header.Type);
            Assert.Equal((string)row["url"]!, reader.Header.TargetUri);
            Assert.Equal((long)row["fetch_time_ms"]!, new DateTimeOffset(reader.Header.Date!.Value).ToUnixTimeMilliseconds());
            reader.CompleteRecord();
            Assert.Equal((offset, length), (reader.CompressedOffset, reader.CompressedLength));
            Assert.False(reader.MoveNext(), "the range holds one record");
            Assert.Empty(warnings);
        }
    }

    [Fact]
    public void The_rows_carry_what_the_records_say()
    {
        using var dir = new TempDir();
        var (result, index) = Generate(dir);
        var rows = Rows(index.Parquet);
        Assert.All(rows, r =>
        {
            Assert.Equal(SurtKey.Of((string)r["url"]!), r["url_surtkey"]);
            Assert.Equal(CorpusGenerator.FileName(CorpusKinds.Warc, WarcCompression.Gzip), r["warc_filename"]);
            Assert.Equal(CorpusGenerator.Segment, r["warc_segment"]);
            Assert.Matches("^[A-Z2-7]{32}$", (string)r["content_digest"]!);
            Assert.Null(r["content_truncated"]);
            Assert.Null(r["url_port"]);
            Assert.Equal(((string)r["url"]!).Split("://")[0], r["url_protocol"]);
        });
        var html = rows.Where(r => (string?)r["content_charset"] == "UTF-8").ToList();
        Assert.Equal(result.HtmlPages, html.Count);
        Assert.All(html, r => Assert.Matches("^[a-z]{3}(,[a-z]{3})?$", (string)r["content_languages"]!));
        Assert.All(rows.Where(r => (string?)r["content_charset"] is null), r => Assert.Null(r["content_languages"]));
        var redirects = rows.Where(r => (short)r["fetch_status"]! == 301).ToList();
        Assert.NotEmpty(redirects);
        Assert.All(redirects, r => Assert.StartsWith("http", (string)r["fetch_redirect"]!));
        Assert.All(rows.Where(r => (short)r["fetch_status"]! != 301), r => Assert.Null(r["fetch_redirect"]));
        Assert.Contains(rows, r => (string?)r["content_mime_type"] == "application/pdf" && (string?)r["content_mime_detected"] == "application/pdf");
        Assert.Contains(rows, r => (string?)r["url_host_registry_suffix"] is "co.uk" or "com.br" or "com.au");
        Assert.All(rows, r => Assert.EndsWith("." + (string)r["url_host_registry_suffix"]!, "." + (string)r["url_host_registered_domain"]!));
    }

    [Fact]
    public void The_cdx_index_lists_the_records_of_the_parquet_index_sorted_by_key()
    {
        using var dir = new TempDir();
        var (_, index) = Generate(dir);
        var lines = CdxLines(index.Cdx);
        Assert.Equal(lines.Order(StringComparer.Ordinal), lines);
        var cdx = lines.Select((l, i) => CdxLine.Parse(l, i + 1)).ToList();
        var rows = Rows(index.Parquet);
        Assert.Equal(rows.Count, cdx.Count);
        static object?[] Fields(CdxRecord r) =>
        [
            r.UrlKey, r.Url, new DateTimeOffset(r.FetchTime!.Value).ToUnixTimeMilliseconds(), (short)r.Status!.Value, r.Redirect, r.Digest, r.Mime, r.MimeDetected,
            r.Charset, r.Languages, r.Truncated, r.Filename, (int)r.Offset, (int)r.Length,
        ];
        static object?[] RowFields(Dictionary<string, object?> r) =>
        [
            r["url_surtkey"], r["url"], r["fetch_time_ms"], r["fetch_status"], r["fetch_redirect"], r["content_digest"], r["content_mime_type"],
            r["content_mime_detected"], r["content_charset"], r["content_languages"], r["content_truncated"], r["warc_filename"],
            r["warc_record_offset"], r["warc_record_length"],
        ];
        Assert.Equal(rows.Select(RowFields), cdx.OrderBy(r => r.Offset).Select(Fields));

        var cluster = File.ReadAllLines(index.ClusterIndex);
        var block = Assert.Single(cluster).Split('\t');
        Assert.Equal(string.Join(' ', lines[0].Split(' ')[..2]), block[0]);
        Assert.Equal(["cdx-00000.gz", "0", new FileInfo(index.Cdx).Length.ToString(), "1"], block[1..]);
    }

    [Fact]
    public void Zipnum_blocks_each_inflate_alone_from_their_cluster_line()
    {
        using var dir = new TempDir();
        var lines = Enumerable.Range(0, 230).Select(i => $"com,example)/page{i:D4} 2024051800{i % 60:D4} {{\"url\": \"https://example.com/page{i:D4}\"}}").ToList();
        string shard = dir.File("cdx-00000.gz"), cluster = dir.File("cluster.idx");
        ZipNumCdxWriter.Write(lines, shard, cluster, linesPerBlock: 50);
        byte[] bytes = File.ReadAllBytes(shard);
        var blocks = File.ReadAllLines(cluster).Select(l => l.Split('\t')).ToList();
        Assert.Equal(5, blocks.Count);
        long expectedOffset = 0;
        for (int b = 0; b < blocks.Count; b++)
        {
            long offset = long.Parse(blocks[b][2]), length = long.Parse(blocks[b][3]);
            Assert.Equal((expectedOffset, "cdx-00000.gz", (b + 1).ToString()), (offset, blocks[b][1], blocks[b][4]));
            expectedOffset += length;
            var text = Encoding.UTF8.GetString(RecordBytes.Gunzip(bytes.AsSpan((int)offset, (int)length)));
            var blockLines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(lines.Skip(50 * b).Take(50), blockLines);
            Assert.Equal(string.Join(' ', blockLines[0].Split(' ')[..2]), blocks[b][0]);
        }
        Assert.Equal(bytes.Length, expectedOffset);
    }

    [Fact]
    public void The_same_seed_gives_the_same_index_bytes()
    {
        using var a = new TempDir();
        using var b = new TempDir();
        using var c = new TempDir();
        var (_, first) = Generate(a, seed: 9);
        var (_, second) = Generate(b, seed: 9);
        var (_, other) = Generate(c, seed: 10);
        Assert.Equal(File.ReadAllBytes(first.Parquet), File.ReadAllBytes(second.Parquet));
        Assert.Equal(File.ReadAllBytes(first.Cdx), File.ReadAllBytes(second.Cdx));
        Assert.Equal(File.ReadAllBytes(first.ClusterIndex), File.ReadAllBytes(second.ClusterIndex));
        Assert.NotEqual(File.ReadAllBytes(first.Cdx), File.ReadAllBytes(other.Cdx));
    }

    [Fact]
    public void A_whole_file_gzip_or_no_warc_cannot_be_indexed()
    {
        using var dir = new TempDir();
        var whole = new CorpusGenerator(new CorpusOptions { TargetSize = 64 * 1024, Compression = WarcCompression.GzipWhole, Kinds = CorpusKinds.Warc, Captures = true })
            .Generate(dir.Path);
        Assert.Contains("one gzip member", CorpusIndexWriter.WhyNot(whole));
        Assert.Throws<InvalidOperationException>(() => CorpusIndexWriter.Write(dir.Path, whole));
        var wetOnly = new CorpusGenerator(new CorpusOptions { TargetSize = 64 * 1024, Kinds = CorpusKinds.Wet, Captures = true }).Generate(dir.Path);
        Assert.Equal("no WARC was written", CorpusIndexWriter.WhyNot(wetOnly));
        var noCaptures = new CorpusGenerator(new CorpusOptions { TargetSize = 64 * 1024, Kinds = CorpusKinds.Warc }).Generate(dir.Path);
        Assert.Empty(noCaptures.Captures);
        Assert.Contains("no captures", CorpusIndexWriter.WhyNot(noCaptures));
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "cc-index")));
    }
}
