using BenchmarkDotNet.Running;
using CrawlGrep.Bench;

if (args.Length > 0 && args[0] == "simulate") return SimulateCommand.Run(args[1..]);
if (args.Length > 0 && args[0] == "inflate-ratio") return InflateRatioCommand.Run(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
