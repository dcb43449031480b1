using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using CrawlGrep.Core.Generation;

namespace CrawlGrep.Cli.Commands;

/// <summary><c>crawlgrep generate</c>: writes a deterministic Common Crawl shaped WARC/WET/WAT set.</summary>
public static class GenerateCommand
{
    public static Command Create()
    {
        var outOption = new Option<string>("--out", "-o")
        {
            Description = "Directory to write the files into (created if missing)",
            Required = true,
        };
        var sizeOption = new Option<long>("--size", "-s")
        {
            Description = "Target uncompressed WARC size; K, M, G suffixes are powers of 1024 (200M = 200 MiB)",
            DefaultValueFactory = _ => 200L * 1024 * 1024,
            CustomParser = result => Sizes.ParseArgument(result, "--size"),
        };
        var seedOption = new Option<int>("--seed")
        {
            Description = "Seed: the same seed and options give byte-identical files",
            DefaultValueFactory = _ => 1,
        };
        var filesOption = new Option<int>("--files")
        {
            Description = "Files of each kind to write, as one CC segment (names ending -00000, -00001, ...; file N has seed SEED+N), with one index of them all",
            DefaultValueFactory = _ => 1,
        };
        filesOption.Validators.Add(result =>
        {
            int files = result.GetValueOrDefault<int>();
            if (files is < 1 or > CorpusGenerator.MaxFileNumber + 1)
                result.AddError($"--files: give 1 to {CorpusGenerator.MaxFileNumber + 1}");
        });
        var kindsOption = new Option<CorpusKinds>("--kinds", "-k")
        {
            Description = "Comma-separated files to write: warc, wet, wat",
            DefaultValueFactory = _ => CorpusKinds.All,
            CustomParser = result => ParseKindsArgument(result),
        };
        var compressionOption = new Option<string>("--compression", "-c")
        {
            Description = "gzip (a member per record, like CC), plain, zstd (a frame per record, with a dictionary), gzip-whole (one member)",
            DefaultValueFactory = _ => "gzip",
        };
        compressionOption.AcceptOnlyFromAmong("gzip", "plain", "zstd", "gzip-whole");
        var levelOption = new Option<int?>("--level")
        {
            Description = "Compression level: gzip 0-9 (default 6, as gzip and CC), zstd 1-22 (default 3)",
        };
        var noDictionaryOption = new Option<bool>("--no-dictionary")
        {
            Description = "zstd: no dictionary frame (each frame stands alone)",
        };
        var noIndexOption = new Option<bool>("--no-index")
        {
            Description = "Do not write the WARC's Common Crawl shaped indexes (columnar Parquet and CDX under cc-index/); about 10% faster",
        };

        var command = new Command("generate", "Generate a deterministic Common Crawl shaped WARC, WET and WAT for tests and benchmarks")
        {
            outOption, sizeOption, seedOption, filesOption, kindsOption, compressionOption, levelOption, noDictionaryOption, noIndexOption,
        };

        command.SetAction((parseResult, cancellationToken) =>
        {
            var stdout = parseResult.InvocationConfiguration.Output;
            var stderr = parseResult.InvocationConfiguration.Error;
            var compression = ParseCompression(parseResult.GetValue(compressionOption)!);
            int? level = parseResult.GetValue(levelOption);
            var options = new CorpusOptions
            {
                Seed = parseResult.GetValue(seedOption),
                TargetSize = parseResult.GetValue(sizeOption),
                Kinds = parseResult.GetValue(kindsOption),
                Compression = compression,
                GzipLevel = compression is WarcCompression.Gzip or WarcCompression.GzipWhole && level is { } g ? g : WarcRecordWriter.DefaultGzipLevel,
                ZstdLevel = compression == WarcCompression.Zstd && level is { } z ? z : WarcRecordWriter.DefaultZstdLevel,
                ZstdDictionary = !parseResult.GetValue(noDictionaryOption),
                Captures = !parseResult.GetValue(noIndexOption),
            };
            string directory = parseResult.GetValue(outOption)!;
            int fileCount = parseResult.GetValue(filesOption);
            try
            {
                // Each file is its own generator (seed + number): files are generated side by side, a core each.
                var generators = Enumerable.Range(0, fileCount)
                    .Select(n => new CorpusGenerator(options with { Seed = unchecked(options.Seed + n), FileNumber = n })).ToArray();
                bool interactive = !Console.IsErrorRedirected;
                long target = options.TargetSize * fileCount, generated = 0;
                var lastReport = new long[fileCount];
                var watch = Stopwatch.StartNew();
                var results = new CorpusResult[fileCount];
                try
                {
                    Parallel.For(0, fileCount,
                        new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
                        n =>
                        {
                            var progress = interactive
                                ? new SyncProgress(bytes =>
                                {
                                    long total = Interlocked.Add(ref generated, bytes - lastReport[n]);
                                    lastReport[n] = bytes;
                                    lock (stderr) stderr.Write($"\rgenerated {total / (1024 * 1024)} of {target / (1024 * 1024)} MiB");
                                })
                                : null;
                            results[n] = generators[n].Generate(directory, progress, cancellationToken);
                        });
                }
                catch (AggregateException e) when (e.InnerExceptions.Count > 0)
                {
                    ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
                }
                watch.Stop();
                if (interactive) stderr.WriteLine();
                foreach (var file in results.SelectMany(r => r.Files))
                    stdout.WriteLine($"{file.Path}\t{file.Bytes} bytes\t{file.Records} records");
                double seconds = Math.Max(watch.Elapsed.TotalSeconds, 1e-3);
                long warcBytes = results.Sum(r => r.WarcUncompressedBytes);
                string files = fileCount == 1 ? "" : $" in {fileCount} files";
                stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{results.Sum(r => r.Pages)} pages ({results.Sum(r => r.HtmlPages)} HTML), {warcBytes / 1048576.0:F1} MiB of WARC{files} in {seconds:F1} s ({warcBytes / 1048576.0 / seconds:F1} MiB/s)"));
                if (options.Captures) WriteIndex(directory, results, stdout, stderr);
                return Task.FromResult(0);
            }
            catch (OperationCanceledException)
            {
                stderr.WriteLine("crawlgrep generate: cancelled");
                return Task.FromResult(130);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                stderr.WriteLine($"crawlgrep generate: {e.Message}");
                return Task.FromResult(2);
            }
        });
        return command;
    }

    /// <summary>The CC-shaped columnar and CDX indexes of the WARC, when it has addressable records.</summary>
    private static void WriteIndex(string directory, IReadOnlyList<CorpusResult> results, TextWriter stdout, TextWriter stderr)
    {
        foreach (var result in results)
        {
            if (CorpusIndexWriter.WhyNot(result) is { } reason)
            {
                if (result.Files.Any(f => f.Kind == CorpusKinds.Warc)) stderr.WriteLine($"no index written: {reason}");
                return;
            }
        }
        var watch = Stopwatch.StartNew();
        var index = CorpusIndexWriter.Write(directory, results);
        stdout.WriteLine($"{index.Parquet}\t{new FileInfo(index.Parquet).Length} bytes\t{index.Records} captures");
        stdout.WriteLine($"{index.Cdx}\t{new FileInfo(index.Cdx).Length} bytes\t{index.Records} captures");
        stdout.WriteLine($"{index.ClusterIndex}\t{new FileInfo(index.ClusterIndex).Length} bytes");
        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"index of {index.Records} captures in {watch.Elapsed.TotalSeconds:F2} s"));
    }

    private static CorpusKinds ParseKindsArgument(ArgumentResult result)
    {
        var kinds = CorpusKinds.None;
        foreach (var token in result.Tokens)
        {
            foreach (var part in token.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                switch (part.ToLowerInvariant())
                {
                    case "warc": kinds |= CorpusKinds.Warc; break;
                    case "wet": kinds |= CorpusKinds.Wet; break;
                    case "wat": kinds |= CorpusKinds.Wat; break;
                    case "all": kinds |= CorpusKinds.All; break;
                    default:
                        result.AddError($"--kinds: unknown kind '{part}' (use warc, wet, wat)");
                        return CorpusKinds.None;
                }
            }
        }
        if (kinds == CorpusKinds.None) result.AddError("--kinds: name at least one of warc, wet, wat");
        return kinds;
    }

    private static WarcCompression ParseCompression(string name) => name switch
    {
        "gzip" => WarcCompression.Gzip,
        "plain" => WarcCompression.Plain,
        "zstd" => WarcCompression.Zstd,
        "gzip-whole" => WarcCompression.GzipWhole,
        _ => throw new ArgumentException($"unknown compression '{name}'"),
    };

    /// <summary>Reports on the generating thread (Progress&lt;T&gt; would post to the thread pool, out of order).</summary>
    private sealed class SyncProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
