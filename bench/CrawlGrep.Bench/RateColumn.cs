using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace CrawlGrep.Bench;

/// <summary>
/// Bytes per second from a benchmark's mean time, in a unit of <paramref name="unit"/> bytes (1e6: MB/s,
/// 1e9: GB/s). The byte count (of the case, or of every case) is read when the summary is printed, in the host process.
/// </summary>
public sealed class RateColumn(string name, string legend, Func<BenchmarkCase, long> bytes, double unit) : IColumn
{
    public RateColumn(string name, string legend, Func<long> bytes, double unit) : this(name, legend, _ => bytes(), unit) { }

    public string Id => $"{nameof(RateColumn)}.{name}";
    public string ColumnName => name;
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => legend;
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        double? ns = summary[benchmarkCase]?.ResultStatistics?.Mean;
        long n = bytes(benchmarkCase);
        return ns is null || n == 0 ? "-" : (n / (ns.Value / 1e9) / unit).ToString(unit >= 1e9 ? "0.00" : "0");
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
}
