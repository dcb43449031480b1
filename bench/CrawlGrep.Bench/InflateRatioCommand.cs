using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using CrawlGrep.Core.Compression;

namespace CrawlGrep.Bench;

/// <summary>
/// <c>inflate-ratio [--rounds N] [--batch BYTES]</c>: the inflate engines timed interleaved on the corpora of
/// <see cref="InflateCorpus"/>. The members are cut into batches of about 256 KB compressed; every engine decodes each batch in
/// turn (the first engine of a batch rotates), so a burst of load from another process falls on all engines alike and
/// their ratios hold on a busy machine where benchmarks run one after another do not. Prints a markdown table.
/// </summary>
public static class InflateRatioCommand
{
    public static int Run(string[] args)
    {
        int rounds = 5, batchBytes = 256 << 10;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--batch": batchBytes = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"inflate-ratio: unknown option {args[i]}"); return 2;
            }
        }
        var engines = InflateEngines.All.Where(InflateEngines.IsAvailable).ToArray();
        var decoders = engines.Select(e => new MemberDecoder(e)).ToArray();
        string[] corpora = [InflateCorpus.Generated, InflateCorpus.GeneratedSmall, InflateCorpus.GeneratedLarge, InflateCorpus.RealCc];
        Console.WriteLine("| members | engine | MB/s (output) | time / libdeflate's |");
        Console.WriteLine("|---|---|---:|---:|");
        foreach (string name in corpora)
        {
            InflateCorpus corpus;
            try { corpus = InflateCorpus.Load(name); }
            catch (InvalidOperationException e) { Console.Error.WriteLine($"inflate-ratio: {name}: {e.Message}"); continue; }
            var members = CollectionsMarshal.AsSpan(corpus.Members);
            var batches = Batches(corpus.Members, batchBytes);
            var ticks = new long[engines.Length];
            foreach (var d in decoders) d.Decode(corpus.Bytes, members); // warm-up
            for (int round = 0; round < rounds; round++)
                for (int b = 0; b < batches.Count; b++)
                {
                    var batch = members[batches[b].Start..batches[b].End];
                    for (int k = 0; k < engines.Length; k++)
                    {
                        int e = (b + round + k) % engines.Length;
                        long t0 = Stopwatch.GetTimestamp();
                        decoders[e].Decode(corpus.Bytes, batch);
                        ticks[e] += Stopwatch.GetTimestamp() - t0;
                    }
                }
            long reference = ticks[Array.IndexOf(engines, engines.Contains(InflateEngine.LibDeflate) ? InflateEngine.LibDeflate : engines[0])];
            string label = $"{name} ({corpus.Members.Count:N0}, {corpus.Members.Sum(m => (long)m.Length) / (double)corpus.Members.Count / 1024:0.0} KiB avg)";
            for (int e = 0; e < engines.Length; e++)
            {
                double seconds = ticks[e] / (double)Stopwatch.Frequency / rounds;
                Console.WriteLine($"| {label} | {InflateEngines.Name(engines[e])} | {corpus.OutputBytes / 1e6 / seconds:0} | {ticks[e] / (double)reference:0.00} |");
            }
        }
        foreach (var d in decoders) d.Dispose();
        return 0;
    }

    private static List<(int Start, int End)> Batches(List<(int Offset, int Length)> members, int batchBytes)
    {
        var batches = new List<(int, int)>();
        int start = 0, bytes = 0;
        for (int i = 0; i < members.Count; i++)
        {
            bytes += members[i].Length;
            if (bytes < batchBytes && i + 1 < members.Count) continue;
            batches.Add((start, i + 1));
            start = i + 1;
            bytes = 0;
        }
        return batches;
    }
}
