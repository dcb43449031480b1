using CrawlGrep.Core.Sources;

namespace CrawlGrep.Tests.Sources;

public sealed class SourceProvidersTests
{
    [Theory]
    [InlineData("s3://bucket/crawl/a.warc.gz", typeof(S3Provider))]
    [InlineData("S3://Bucket/a.warc.gz", typeof(S3Provider))]
    [InlineData("https://data.commoncrawl.org/a.warc.gz", typeof(HttpProvider))]
    [InlineData("HTTPS://example.org/a.warc.gz", typeof(HttpProvider))]
    [InlineData("http://127.0.0.1:8080/a.warc.gz", typeof(HttpProvider))]
    [InlineData("Http://example.org/a.warc.gz", typeof(HttpProvider))]
    [InlineData("data/a.warc.gz", typeof(LocalFileProvider))]
    [InlineData("/srv/crawl/a.warc.gz", typeof(LocalFileProvider))]
    [InlineData(@"C:\crawl\a.warc.gz", typeof(LocalFileProvider))]
    [InlineData("C:/crawl/a.warc.gz", typeof(LocalFileProvider))]
    [InlineData("s3:/bucket/a.warc.gz", typeof(LocalFileProvider))]
    [InlineData("s3:bucket/a.warc.gz", typeof(LocalFileProvider))]
    [InlineData("https:/example.org/a.warc.gz", typeof(LocalFileProvider))]
    [InlineData("ftp://example.org/a.warc.gz", typeof(LocalFileProvider))]
    [InlineData("my-s3://a.warc.gz", typeof(LocalFileProvider))]
    [InlineData("", typeof(LocalFileProvider))]
    public void A_name_is_read_by_the_provider_of_its_scheme(string name, Type expected)
    {
        var provider = SourceProviders.For(name);
        Assert.IsType(expected, provider);
        Assert.Equal(expected != typeof(LocalFileProvider), SourceProviders.IsRemote(name));
    }

    [Fact]
    public void Local_files_close_the_list_so_every_name_has_a_provider()
    {
        Assert.IsType<LocalFileProvider>(SourceProviders.All[^1]);
        Assert.Single(SourceProviders.All, p => !p.IsRemote);
    }

    [Theory]
    [InlineData("s3://bucket/crawl-data/", true)]
    [InlineData("S3://bucket/", true)]
    [InlineData("s3://bucket/crawl-data/a.warc.gz", false)]
    [InlineData("https://example.org/crawl-data/", false)]
    [InlineData("crawl-data/", false)]
    [InlineData("s3:/bucket/crawl-data/", false)]
    public void Only_an_s3_prefix_can_be_listed(string name, bool listable)
    {
        using var sources = new SourceResolver();
        Assert.Equal(listable, sources.CanList(name));
    }

    [Theory]
    [InlineData("s3://bucket/results/", true)]
    [InlineData("S3://bucket", true)]
    [InlineData("s3://", false)]
    [InlineData("s3:///results/", false)]
    [InlineData("https://bucket/results/", false)]
    public void An_s3_url_names_a_bucket_or_not(string name, bool namesBucket) =>
        Assert.Equal(namesBucket, S3Provider.NamesBucket(name));

    [Fact]
    public void An_s3_url_parses_into_bucket_and_key()
    {
        Assert.Equal(("bucket", "crawl/a.warc.gz"), S3Provider.ParseS3("s3://bucket/crawl/a.warc.gz"));
        Assert.Throws<IOException>(() => S3Provider.ParseS3("s3://bucket/"));
        Assert.Throws<IOException>(() => S3Provider.ParseS3("s3:///key"));
    }

    [Fact]
    public void A_name_that_only_looks_like_a_url_is_opened_as_a_local_file()
    {
        using var sources = new SourceResolver();
        string dir = Directory.CreateTempSubdirectory("crawlgrep-providers-").FullName;
        try
        {
            string path = Path.Combine(dir, "a.warc");
            File.WriteAllText(path, "WARC/1.1\r\n");
            var local = sources.Open(path);
            Assert.IsType<LocalFileSource>(local);
            Assert.Equal(10, local.Length);
            // Not S3: a missing local file, found missing without a single request.
            Assert.ThrowsAny<IOException>(() => sources.Open("s3:/crawlgrep-no-such-bucket/a.warc"));
            Assert.Equal(0, sources.Counters.Requests);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
