using System.CommandLine;
using CrawlGrep.Cli.Commands;
using CrawlGrep.Core.Generation;
using CrawlGrep.Tests.EndToEnd;
using CrawlGrep.Tests.Planning.Index;

namespace CrawlGrep.Tests.Generation;

public class GenerateCommandTests
{
    [Theory]
    [InlineData("123", 123L)]
    [InlineData("64K", 64L * 1024)]
    [InlineData("200M", 200L * 1024 * 1024)]
    [InlineData("200MB", 200L * 1024 * 1024)]
    [InlineData("2mib", 2L * 1024 * 1024)]
    [InlineData("1.5G", 3L * 512 * 1024 * 1024)]
    [InlineData("10 MB", 10L * 1024 * 1024)]
    public void Sizes_accept_binary_suffixes(string text, long expected) => Assert.Equal(expected, Sizes.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("12X")]
    [InlineData("M")]
    [InlineData("-5M")]
    public void Bad_sizes_are_rejected(string text) => Assert.Throws<FormatException>(() => Sizes.Parse(text));

    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var root = new RootCommand { GenerateCommand.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = root.Parse(["generate", .. args]).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void Writes_the_requested_kinds_with_the_requested_compression()
    {
        string dir = Path.Combine(Path.GetTempPath(), "crawlgrep-cmd-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (exit, output, _) = Run("--out", dir, "--size", "64K", "--seed", "3", "--kinds", "warc,wet", "--compression", "zstd");
            Assert.Equal(0, exit);
            Assert.Equal(
                ["CC-MAIN-20240517233122-20240518023122-00000.warc.wet.zst", "CC-MAIN-20240517233122-20240518023122-00000.warc.zst"],
                Directory.GetFiles(dir).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray());
            Assert.Contains("records", output);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Writes_the_index_of_the_warc_beside_it()
    {
        string dir = Path.Combine(Path.GetTempPath(), "crawlgrep-cmd-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (exit, output, error) = Run("--out", dir, "--size", "64K", "--seed", "3");
            Assert.Equal(0, exit);
            string parquet = Path.Combine(dir, "cc-index", "table", "cc-main", "warc", "crawl=CC-MAIN-2024-22", "subset=warc", "part-00000.parquet");
            string cdx = Path.Combine(dir, "cc-index", "collections", "CC-MAIN-2024-22", "indexes", "cdx-00000.gz");
            string cluster = Path.Combine(dir, "cc-index", "collections", "CC-MAIN-2024-22", "indexes", "cluster.idx");
            Assert.All(new[] { parquet, cdx, cluster }, f => Assert.True(File.Exists(f), f));
            Assert.Contains($"{parquet}\t", output);
            Assert.Contains($"{cdx}\t", output);
            Assert.Contains("captures", error);

            var (wholeExit, _, wholeError) = Run("--out", dir + "-whole", "--size", "64K", "--compression", "gzip-whole");
            Assert.Equal(0, wholeExit);
            Assert.Contains("no index written", wholeError);
            Assert.False(Directory.Exists(Path.Combine(dir + "-whole", "cc-index")));

            var (bareExit, bareOutput, _) = Run("--out", dir + "-bare", "--size", "64K", "--no-index");
            Assert.Equal(0, bareExit);
            Assert.DoesNotContain("cc-index", bareOutput);
            Assert.False(Directory.Exists(Path.Combine(dir + "-bare", "cc-index")));
        }
        finally
        {
            foreach (var d in new[] { dir, dir + "-whole", dir + "-bare" })
                if (Directory.Exists(d)) Directory.Delete(d, recursive: true);
        }
    }

    [Fact]
    public void Files_writes_a_segment_of_numbered_files_with_one_index_of_them_all()
    {
        using var dir = new TempDir();
        string segment = Path.Combine(dir.Path, "segment"), single = Path.Combine(dir.Path, "single");
        var (exit, output, error) = Run("--out", segment, "--size", "64K", "--seed", "5", "--files", "3", "--kinds", "warc");
        Assert.Equal(0, exit);
        string[] names = [.. Enumerable.Range(0, 3).Select(n => CorpusGenerator.FileName(CorpusKinds.Warc, WarcCompression.Gzip, n))];
        Assert.Equal(["CC-MAIN-20240517233122-20240518023122-00000.warc.gz", "CC-MAIN-20240517233122-20240518023122-00001.warc.gz",
            "CC-MAIN-20240517233122-20240518023122-00002.warc.gz"], names);
        Assert.Equal(names, Directory.GetFiles(segment).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray());
        Assert.Contains("in 3 files", error);

        // File 0 is what one file of the same seed is; the others have seeds of their own, so other pages.
        Assert.Equal(0, Run("--out", single, "--size", "64K", "--seed", "5", "--kinds", "warc").Exit);
        Assert.Equal(File.ReadAllBytes(Path.Combine(single, names[0])), File.ReadAllBytes(Path.Combine(segment, names[0])));
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(segment, names[0])).Length, File.ReadAllBytes(Path.Combine(segment, names[1])).Length);

        // One index lists every file's responses, each under its own name and at offsets where a response starts.
        string parquet = Path.Combine(segment, "cc-index", "table", "cc-main", "warc", "crawl=CC-MAIN-2024-22", "subset=warc", "part-00000.parquet");
        var rows = DuckDbRows.Query($"SELECT warc_filename, warc_record_offset, warc_record_length FROM read_parquet({DuckDbRows.Literal(parquet)})");
        Assert.Equal(names, rows.Select(r => (string)r["warc_filename"]!).Distinct().Order(StringComparer.Ordinal).ToArray());
        foreach (string name in names)
        {
            byte[] warc = File.ReadAllBytes(Path.Combine(segment, name));
            var listed = rows.Where(r => (string)r["warc_filename"]! == name).ToList();
            Assert.Contains($"{Path.Combine(segment, name)}\t", output);
            Assert.All(listed, r =>
            {
                int offset = Convert.ToInt32(r["warc_record_offset"]), length = Convert.ToInt32(r["warc_record_length"]);
                using var member = new System.IO.Compression.GZipStream(new MemoryStream(warc, offset, length), System.IO.Compression.CompressionMode.Decompress);
                using var text = new StreamReader(member);
                Assert.Equal("WARC/1.0", text.ReadLine());
                while (text.ReadLine() is { Length: > 0 } line)
                    if (line.StartsWith("WARC-Type:", StringComparison.Ordinal)) Assert.Equal("WARC-Type: response", line);
            });
        }
    }

    [Theory]
    [InlineData("--files", "0")]
    [InlineData("--size", "lots")]
    [InlineData("--kinds", "warc,pdf")]
    [InlineData("--compression", "brotli")]
    public void Bad_arguments_fail_without_writing(string option, string value)
    {
        string dir = Path.Combine(Path.GetTempPath(), "crawlgrep-cmd-" + Guid.NewGuid().ToString("N"));
        var (exit, _, _) = Run("--out", dir, option, value);
        Assert.NotEqual(0, exit);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void Out_is_required()
    {
        Assert.NotEqual(0, Run("--size", "1K").Exit);
    }
}
