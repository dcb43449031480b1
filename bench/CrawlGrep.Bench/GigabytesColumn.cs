using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace CrawlGrep.Bench;

/// <summary>GB/s over the in-memory corpus of <see cref="HtmlCorpus"/>, from the mean time.</summary>
public sealed class GigabytesColumn : IColumn
{
    public string Id => nameof(GigabytesColumn);
    public string ColumnName => "GB/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Gigabytes (10^9) of corpus text matched per second, from the mean time";
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        double? ns = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return ns is null ? "-" : $"{HtmlCorpus.TargetBytes / ns.Value:0.00}";
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
}
