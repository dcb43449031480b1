using System.Net;
using CrawlGrep.Core.Execution.Lambda;
using Xunit.Abstractions;

using static CrawlGrep.Tests.Lambda.EmulatorAssert;

namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// A straggler on purpose: the slow-worker fault makes one invocation's worker genuinely run slower (it is stopped
/// and let run in turn), so the same work takes several times longer by the clock and in its REPORT line, while its
/// CPU time stays that of the work; the worker serves its next invocation at full speed.
/// </summary>
public sealed class LambdaEmulatorSlowWorkerTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>
    /// About a third of a second of CPU in Python on this kind of machine: dozens of the duty cycle's slices, so one late
    /// timer on a busy machine cannot let the slowed run finish in its first slice.
    /// </summary>
    private const string Work = "{\"spin\":8000000}";
    private const string SlowWork = "{\"spin\":8000000,\"slow\":true}";

    private readonly EmulatorHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    /// <summary>One run's wall-clock and CPU seconds as the worker measured them, and its REPORT line's Duration and Billed Duration.</summary>
    private static async Task<(double Wall, double Cpu, double DurationMs, long BilledMs)> RunAsync(TestLambdaClient client, string payload)
    {
        using var response = await client.InvokeAsync(payload, tail: true);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await JsonOf(response);
        var report = LambdaReport.Parse(LogOf(response));
        Assert.True(report is { DurationMs: not null, BilledDurationMs: not null }, "no REPORT line with durations in the log tail");
        return (json.GetProperty("wall").GetDouble(), json.GetProperty("cpu").GetDouble(), report!.DurationMs!.Value, report.BilledDurationMs!.Value);
    }

    [Fact]
    public async Task TenTimesSlower_TakesAtLeastFiveTimesAsLong_ForTheSameCpuTime_AndTheWorkerRecovers()
    {
        var (emulator, client) = _harness.Start(WorkerScripts.CpuLoop, concurrency: 1, timeoutSeconds: 30);
        emulator.Inject(LambdaFault.SlowWorkerWhen(e => e.Contains("\"slow\":true"), factor: 10));
        await RunAsync(client, Work); // the cold start, not compared

        var before = await RunAsync(client, Work);
        var slow = await RunAsync(client, SlowWork);
        var after = await RunAsync(client, Work);
        double normal = Math.Min(before.Wall, after.Wall);
        output.WriteLine($"wall {before.Wall:0.000} / {slow.Wall:0.000} / {after.Wall:0.000} s, cpu {before.Cpu:0.000} / {slow.Cpu:0.000} / {after.Cpu:0.000} s, " +
                         $"REPORT {before.DurationMs} / {slow.DurationMs} / {after.DurationMs} ms");

        Assert.True(slow.Wall >= 5 * normal, $"slowed run took {slow.Wall:0.000} s, normal ones {before.Wall:0.000} s and {after.Wall:0.000} s");
        Assert.True(slow.DurationMs >= 5 * Math.Min(before.DurationMs, after.DurationMs),
            $"REPORT durations: slowed {slow.DurationMs} ms, normal {before.DurationMs} and {after.DurationMs} ms");
        Assert.True(slow.BilledMs >= slow.DurationMs);
        // Slowed, not made to do more: the CPU the work took is of the same order.
        Assert.InRange(slow.Cpu, before.Cpu / 2, before.Cpu * 2);
        // Full speed again once the slowed invocation is over.
        Assert.True(after.Wall < slow.Wall / 3, $"after the slowed run: {after.Wall:0.000} s against {slow.Wall:0.000} s");

        Assert.Equal(1, emulator.ColdStarts);
        Assert.Equal(4, emulator.InvocationsCompleted);
        Assert.DoesNotContain("stopped", ProcessState(emulator.WorkerPids[0]));
    }

    [Fact]
    public async Task SlowFault_ByInvocationNumber_SlowsThatOneOnly()
    {
        var (emulator, client) = _harness.Start(WorkerScripts.CpuLoop, concurrency: 1, timeoutSeconds: 30);
        emulator.Inject(LambdaFault.SlowWorker(invocation: 3, factor: 6));
        var runs = new List<double>();
        for (int i = 0; i < 4; i++) runs.Add((await RunAsync(client, Work)).Wall);
        Assert.True(runs[2] >= 3 * Math.Min(runs[1], runs[3]), $"runs took {string.Join(", ", runs.Select(r => r.ToString("0.000")))} s");
        Assert.Throws<ArgumentOutOfRangeException>(() => LambdaFault.SlowWorker(1, 0.5));
    }

    private static string ProcessState(int pid) =>
        File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("State:", StringComparison.Ordinal));
}
