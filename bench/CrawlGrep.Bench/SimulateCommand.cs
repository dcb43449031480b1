using System.Globalization;
using CrawlGrep.Simulation;

namespace CrawlGrep.Bench;

/// <summary>
/// <c>simulate [--seed N] [--only TEXT] [--out FILE] [--timeline]</c>: runs the crawl scenarios through the fleet scheduler on a
/// virtual clock, prints the table and writes it to bench/results/simulation.md.
/// </summary>
public static class SimulateCommand
{
    public static int Run(string[] args)
    {
        int seed = 1;
        string? only = null, output = null;
        bool timeline = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--seed": seed = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--only": only = args[++i]; break;
                case "--out": output = args[++i]; break;
                case "--timeline": timeline = true; break;
                default: Console.Error.WriteLine($"simulate: unknown option {args[i]}"); return 2;
            }
        }
        var results = new List<SimulationResult>();
        foreach (var scenario in CrawlScenarios.All(seed))
        {
            if (only is not null && !scenario.Name.Contains(only, StringComparison.OrdinalIgnoreCase)) continue;
            var simulation = new CrawlSimulation(scenario);
            var result = simulation.Run();
            Console.Error.WriteLine($"{result.Name}: {result.WallMinutes:0.0} min, ${result.Dollars:0.00}, last first start at {result.LastStartSeconds / 60:0.0} min ({result.Events:N0} events in {result.SimulationSeconds:0.0} s)");
            if (timeline)
                foreach (var (start, max, mean) in simulation.Fleet.Timeline.Buckets(30, result.WallSeconds))
                    Console.Error.WriteLine($"  {start,7:0.0} s  max {max,5:N0}  mean {mean,7:N0}");
            results.Add(result);
        }
        string table = SimulationTable.Markdown(results);
        string text = $"""
            # Fleet simulation

            A crawl scanned on Lambda, simulated: the real fleet scheduler on a virtual clock (seed {seed}), Lambda with
            cold starts (150-400 ms, billed), 1,000 new environments per 10 s and the account's limit (429, Retry-After
            1 s), an S3 bucket of 5,500 GETs/s unless said (503 SlowDown), tasks of 1 + 1 per 64 MiB GETs, run times of
            bytes / min(100 MB/s per core, 70 MB/s per S3 stream) times a lognormal body (sigma 0.2) with a 1% Pareto
            tail (3-20x). 1,769 MB, x86_64 unless said. "$ unseen": losing copies that Lambda ran on and billed after
            the executor cancelled them. Goals: WARC at 2,000 workers in {CrawlScenarios.WarcGoalMinutes} min for
            ${CrawlScenarios.WarcGoalDollars}; WET in {CrawlScenarios.WetGoalMinutes} min for ${CrawlScenarios.WetGoalDollars}.
            Regenerate with `dotnet run -c Release --project bench/CrawlGrep.Bench -- simulate`.

            {table}
            """;
        Console.WriteLine(table);
        output ??= Path.Combine(RepositoryRoot(), "bench", "results", "simulation.md");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        File.WriteAllText(output, text);
        Console.Error.WriteLine($"written to {output}");
        return 0;
    }

    /// <summary>The folder holding the solution, from the current directory up.</summary>
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CrawlGrep.sln"))) return dir.FullName;
        return Environment.CurrentDirectory;
    }
}
