using CrawlGrep.Core.Execution.Lambda;

namespace CrawlGrep.Tests.Aws;

public sealed class LambdaReportTests
{
    [Fact]
    public void A_cold_start_report_has_every_field()
    {
        var r = LambdaReport.Parse("END RequestId: abc\nREPORT RequestId: abc\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 1769 MB\tMax Memory Used: 80 MB\tInit Duration: 150.12 ms\t\n");
        Assert.Equal(new LambdaReport("abc", 12.34, 13, 1769, 80, 150.12), r);
        Assert.True(r!.ColdStart);
        Assert.Equal(13 / 1000.0 * (1769 / 1024.0), r.GbSeconds!.Value, 9);
    }

    [Fact]
    public void A_warm_report_has_no_init_duration()
    {
        var r = LambdaReport.Parse("REPORT RequestId: 7e1c Duration: 1002.50 ms Billed Duration: 1003 ms Memory Size: 128 MB Max Memory Used: 35 MB");
        Assert.Equal(new LambdaReport("7e1c", 1002.5, 1003, 128, 35, null), r);
        Assert.False(r!.ColdStart);
    }

    [Fact]
    public void Unknown_and_missing_fields_are_tolerated()
    {
        var r = LambdaReport.Parse("REPORT RequestId: x\tDuration: 5.00 ms\tBilled Duration: 6 ms\tMemory Size: 512 MB\tMax Memory Used: 60 MB\tRestore Duration: 300.00 ms\tBilled Restore Duration: 120 ms\t\nXRAY TraceId: 1-2-3");
        Assert.Equal(new LambdaReport("x", 5.0, 6, 512, 60, null), r);
        Assert.Equal(new LambdaReport(null, null, 9, null, null, null), LambdaReport.Parse("REPORT Billed Duration: 9 ms Memory Size: lots"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("START RequestId: a Version: $LATEST\nEND RequestId: a\n")]
    public void No_report_line_is_no_report(string? tail) => Assert.Null(LambdaReport.Parse(tail));

    [Fact]
    public void The_last_report_line_counts()
    {
        var r = LambdaReport.Parse("REPORT RequestId: old Duration: 1 ms\nREPORT RequestId: new Duration: 2 ms\n");
        Assert.Equal("new", r!.RequestId);
        Assert.Equal(2.0, r.DurationMs);
    }
}
