using CrawlGrep.Core.Planning;

namespace CrawlGrep.Core.Execution.Lambda;

/// <summary>AWS's published prices a Lambda scan is billed at (us-east-1; other regions differ a little).</summary>
public sealed record LambdaPrices
{
    public double X86PerGbSecond { get; init; } = 0.0000166667;
    public double Arm64PerGbSecond { get; init; } = 0.0000133334;
    public double PerMillionRequests { get; init; } = 0.20;
    public double S3GetPerThousand { get; init; } = 0.0004;
}

/// <summary>What a Lambda scan is expected to cost and take, before it starts.</summary>
public sealed record LambdaEstimate(int Tasks, int Inputs, long Bytes, double GbSeconds, double ComputeX86, double ComputeArm64, double Requests,
    double S3Gets, double WallSeconds, int Concurrency, int MemoryMb)
{
    public double TotalX86 => ComputeX86 + Requests + S3Gets;
    public double TotalArm64 => ComputeArm64 + Requests + S3Gets;
}

/// <summary>
/// The cost model of a Lambda scan: each task runs on one core of its worker (Lambda gives a function one vCPU per
/// 1,769 MB), as fast as the patterns scan here and no faster than one S3 stream reads; billed per GB-second of
/// memory, per request, and per S3 GET (a HEAD per input, a GET per task).
/// </summary>
public static class LambdaCostModel
{
    /// <summary>The memory at which Lambda gives a function one full vCPU.</summary>
    public const int OneVcpuMb = 1769;

    /// <summary>What one S3 GET stream delivers to a Lambda worker (tens of MB/s; AWS quotes 50-90 in practice).</summary>
    public const double S3StreamBytesPerSecond = 70e6;

    /// <summary>A worker's start (a cold start amortized over its tasks) and the partial's trip back, per task.</summary>
    public const double PerTaskOverheadSeconds = 0.15;

    /// <summary>How fast one worker of <paramref name="memoryMb"/> scans: its share of a core, and no faster than one S3 stream.</summary>
    public static double WorkerBytesPerSecond(double scanBytesPerSecondPerCore, int memoryMb) =>
        Math.Min(scanBytesPerSecondPerCore * Math.Min(1.0, memoryMb / (double)OneVcpuMb), S3StreamBytesPerSecond);

    public static LambdaEstimate Estimate(IReadOnlyList<ScanTask> tasks, double scanBytesPerSecondPerCore, int memoryMb, int concurrency, LambdaPrices? prices = null)
    {
        prices ??= new LambdaPrices();
        double speed = WorkerBytesPerSecond(scanBytesPerSecondPerCore, memoryMb);
        double total = 0, longest = 0;
        foreach (var t in tasks)
        {
            double seconds = t.Bytes / speed + PerTaskOverheadSeconds;
            total += seconds;
            longest = Math.Max(longest, seconds);
        }
        double gbSeconds = total * memoryMb / 1024.0;
        int inputs = tasks.Select(t => t.Source).Distinct(StringComparer.Ordinal).Count();
        return new LambdaEstimate(tasks.Count, inputs, tasks.Sum(t => t.Bytes), gbSeconds,
            gbSeconds * prices.X86PerGbSecond, gbSeconds * prices.Arm64PerGbSecond,
            tasks.Count / 1e6 * prices.PerMillionRequests, (tasks.Count + inputs) / 1e3 * prices.S3GetPerThousand,
            Math.Max(total / Math.Max(1, concurrency), longest), concurrency, memoryMb);
    }

    /// <summary>The estimate as a short table, for a terminal.</summary>
    public static string Describe(LambdaEstimate e, double scanBytesPerSecondPerCore)
    {
        string wall = ScanSpeed.Duration(e.WallSeconds);
        return string.Join('\n',
            $"estimate on Lambda at {e.MemoryMb:N0} MB, {e.Concurrency:N0} in flight:",
            $"  tasks      {e.Tasks:N0} over {e.Inputs:N0} inputs, {e.Bytes / 1e9:0.###} GB",
            $"  compute    {e.GbSeconds:N1} GB-s: {Dollars(e.ComputeX86)} on x86_64, {Dollars(e.ComputeArm64)} on arm64",
            $"  requests   {Dollars(e.Requests)} for {e.Tasks:N0} invocations, {Dollars(e.S3Gets)} for {e.Tasks + e.Inputs:N0} S3 GETs and HEADs",
            $"  total      {Dollars(e.TotalX86)} on x86_64, {Dollars(e.TotalArm64)} on arm64",
            $"  wall time  {(wall.StartsWith("under", StringComparison.Ordinal) ? wall : "about " + wall)} (these patterns scan {scanBytesPerSecondPerCore / 1e6:0} MB/s " +
            $"of compressed input per core here; one S3 stream reads about {S3StreamBytesPerSecond / 1e6:0} MB/s)");
    }

    /// <summary>Dollars to the cent, or to the first digits that say something when under one.</summary>
    public static string Dollars(double d) =>
        d >= 1 ? $"${d:N2}" : d == 0 ? "$0" : "$" + d.ToString("0.00" + new string('#', Math.Max(0, (int)Math.Ceiling(-Math.Log10(d)))), System.Globalization.CultureInfo.InvariantCulture);
}
