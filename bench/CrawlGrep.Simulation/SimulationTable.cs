using System.Globalization;
using System.Text;

namespace CrawlGrep.Simulation;

/// <summary>Simulation results as a Markdown table.</summary>
public static class SimulationTable
{
    public static string Markdown(IEnumerable<SimulationResult> results)
    {
        var s = new StringBuilder();
        s.AppendLine("| scenario | tasks | TB | wall min | ideal min | $ | $ unseen | GB-s | invocations | 429s | 503s | source cuts | copies (won/budget) | peak | mean | stalls | sim s |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            s.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Name} | {r.Tasks:N0} | {r.TotalBytes / 1e12:0.0} | {r.WallMinutes:0.0} | {r.IdealSeconds / 60:0.0} | {r.Dollars:0.00} | {r.UnseenDollars:0.00} | {r.GbSeconds:N0} | {r.Invocations:N0} | {r.Throttles:N0} | {r.SlowDowns:N0} | {r.SourceCuts:N0} | {r.Copies:N0} ({r.CopiesWon:N0}/{r.CopyBudget:N0}) | {r.PeakConcurrency:N0} | {r.MeanConcurrency:N0} | {r.SchedulerStalls:N0} | {r.SimulationSeconds:0.0} |"));
        }
        return s.ToString();
    }
}
