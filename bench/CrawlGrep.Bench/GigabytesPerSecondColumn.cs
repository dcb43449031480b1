using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace CrawlGrep.Bench;

/// <summary>GB/s (10^9 bytes per second) of haystack searched, from the mean time of one operation over <see cref="HtmlCorpus"/>.</summary>
public sealed class GigabytesPerSecondColumn : IColumn
{
    public string Id => nameof(GigabytesPerSecondColumn);
    public string ColumnName => "GB/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Haystack gigabytes (10^9) searched per second, from the mean time";
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        double? ns = summary[benchmarkCase]?.ResultStatistics?.Mean;
        long bytes = HtmlCorpus.Bytes;
        return ns is null || bytes == 0 ? "-" : $"{bytes / ns.Value:0.00}";
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
}
