using CrawlGrep.Core.Execution.Lambda;

namespace CrawlGrep.Tests.Aws;

public sealed class LambdaFunctionNameTests
{
    [Theory]
    [InlineData("crawlgrep-worker", "crawlgrep-worker", null, null, null)]
    [InlineData("crawlgrep_worker:live", "crawlgrep_worker", "live", null, null)]
    [InlineData("f:$LATEST", "f", "$LATEST", null, null)]
    [InlineData("123456789012:function:crawlgrep-worker", "crawlgrep-worker", null, null, "123456789012")]
    [InlineData("123456789012:function:crawlgrep-worker:3", "crawlgrep-worker", "3", null, "123456789012")]
    [InlineData("arn:aws:lambda:eu-west-1:123456789012:function:crawlgrep-worker", "crawlgrep-worker", null, "eu-west-1", "123456789012")]
    [InlineData("arn:aws:lambda:us-east-2:123456789012:function:crawlgrep-worker:prod", "crawlgrep-worker", "prod", "us-east-2", "123456789012")]
    [InlineData("arn:aws-cn:lambda:cn-north-1:123456789012:function:w", "w", null, "cn-north-1", "123456789012")]
    public void Names_and_arns_are_read(string text, string name, string? qualifier, string? region, string? account)
    {
        var f = LambdaFunctionName.Parse(text);
        Assert.Equal(new LambdaFunctionName(text, name, qualifier, region, account), f);
        Assert.Equal(text, Uri.UnescapeDataString(f.PathSegment));
        Assert.DoesNotContain(":", f.PathSegment);
    }

    [Theory]
    [InlineData("")]
    [InlineData("my function")]
    [InlineData("a/b")]
    [InlineData("a:b:c")]
    [InlineData("f:")]
    [InlineData("12345:function:f")]
    [InlineData("arn:aws:s3:::bucket")]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:layer:f")]
    [InlineData("arn:aws:lambda::123456789012:function:f")]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:f:a:b")]
    public void Anything_else_is_refused_naming_the_text(string text)
    {
        var e = Assert.Throws<ArgumentException>(() => LambdaFunctionName.Parse(text));
        Assert.Contains($"'{text}'", e.Message);
    }

    [Fact]
    public void Display_shows_name_and_qualifier()
    {
        Assert.Equal("w:live", LambdaFunctionName.Parse("arn:aws:lambda:us-east-1:123456789012:function:w:live").Display);
        Assert.Equal("w", LambdaFunctionName.Parse("w").Display);
    }
}
