using CrawlGrep.Core.Execution.Lambda;

namespace CrawlGrep.Cli.Output;

/// <summary>
/// What <c>--stats</c> says of a Lambda fan-out: invocations and what became of them, the bill, the concurrency over
/// time (a bar per slice of the run), and how the source and the service pushed back.
/// </summary>
internal static class FleetStats
{
    private const string Bars = " ▁▂▃▄▅▆▇█";
    private const int Slices = 40;

    public static void Print(TextWriter err, LambdaExecutor executor)
    {
        var c = executor.Counters;
        var fleet = executor.Fleet;
        err.WriteLine($"{c.Invocations - c.Throttled:N0} Lambda invocations ({c.ColdStarts:N0} cold starts, {c.Retries:N0} retried, {c.Throttled:N0} throttled, " +
                      $"{c.Speculative:N0} speculative copies of stragglers, {fleet?.Stragglers.CopiesWon ?? 0:N0} of them first, {c.Cancelled:N0} calls given up for a copy's answer, " +
                      $"{c.PartialsFromS3:N0} partials read from S3, {c.Duplicates:N0} duplicates ignored)");
        if (fleet is null) return;
        var bill = fleet.Bill;
        err.WriteLine($"billed: {bill.BilledMs / 1000.0:N1} s, {bill.GbSeconds:N1} GB-s, ${bill.Dollars:0.####} (compute and requests)" +
                      (fleet.Cost.Cap is double cap ? $", of --max-cost ${cap}" : ""));
        double elapsed = executor.Elapsed;
        if (elapsed > 0 && fleet.Timeline.Samples.Count > 0)
        {
            var slices = fleet.Timeline.Buckets(Slices, elapsed);
            int peak = Math.Max(1, fleet.Timeline.Peak);
            var line = string.Concat(slices.Select(s => Bars[(int)Math.Round(s.Mean / peak * (Bars.Length - 1))]));
            err.WriteLine($"in flight over {elapsed:0.0} s: peak {fleet.Timeline.Peak:N0}, mean {fleet.Timeline.Mean(elapsed):N1} " +
                          $"(of {fleet.Concurrency.Maximum:N0} allowed; target cut {fleet.Concurrency.Cuts:N0} times by throttling)");
            err.WriteLine($"  |{line}| each mark {elapsed / Slices:0.0##} s");
        }
        var source = fleet.Source;
        if (source.Slowdowns > 0 || source.Retries > 0)
            err.WriteLine($"source: workers made {source.Requests:N0} requests, {source.Retries:N0} retried, pushed back {source.Slowdowns:N0} times; " +
                          $"the fleet slowed down {source.Cuts:N0} times for it");
    }
}
