using CrawlGrep.Core.Execution;
using CrawlGrep.Core.Planning;
using CrawlGrep.Core.Scanning;
using CrawlGrep.Tests.Conformance;

namespace CrawlGrep.Tests.Execution;

public sealed class OrderedEmitterTests
{
    private static ScanTask Task(string source, long start) =>
        new() { Source = source, Start = start, End = start + 10, Format = "warc.gz", Spec = new ScanSpec { Patterns = new TaskPatterns { Items = ["x"] } } };

    private static Hit Hit(string file, long offset) =>
        new() { File = file, Pattern = "x", Match = "x", Context = "x", RecordOffset = offset, LineOffset = 0 };

    private static void Done(OrderedEmitter e, int task, string file)
    {
        var now = DateTime.UtcNow;
        e.OnTaskDone(task, new TaskOutcome($"t{task}", 0, 0, "warc.gz", new ScanStats(), null, now, now));
    }

    [Fact]
    public async Task Later_tasks_wait_for_their_turn_once_they_hold_enough_and_everything_comes_out_in_plan_order()
    {
        var tasks = new[] { Task("a", 0), Task("a", 10), Task("b", 0) };
        var sink = new CollectingSink();
        var emitter = new OrderedEmitter(tasks, sink, maxLinesPerFile: null, maxHeld: 3);
        var second = emitter.SinkFor(1);
        var third = emitter.SinkFor(2);
        // The later tasks find their hits first, more than they may hold.
        var later = System.Threading.Tasks.Task.Run(() =>
        {
            for (int i = 0; i < 10; i++) second.OnHit(Hit("a", 100 + i));
            Done(emitter, 1, "a");
            for (int i = 0; i < 10; i++) third.OnHit(Hit("b", 200 + i));
            Done(emitter, 2, "b");
        });
        Assert.NotSame(later, await System.Threading.Tasks.Task.WhenAny(later, System.Threading.Tasks.Task.Delay(300))); // the second task waits for the first
        Assert.Empty(sink.Hits);
        var first = emitter.SinkFor(0);
        for (int i = 0; i < 5; i++) first.OnHit(Hit("a", i));
        Done(emitter, 0, "a");
        await later.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([0, 1, 2, 3, 4, .. Enumerable.Range(100, 10), .. Enumerable.Range(200, 10)], sink.Hits.Select(h => (int)h.RecordOffset));
        Assert.Equal(["a", "b"], sink.Files.Select(f => f.File));
        Assert.Equal(15, sink.Files[0].Stats.Hits);
        Assert.Equal(2, sink.Files[0].Tasks.Count);
    }

    [Fact]
    public void Counted_lines_pass_as_they_come_no_task_waits_and_each_input_ends_once_with_its_capped_count()
    {
        var tasks = new[] { Task("a", 0), Task("a", 10), Task("b", 0) };
        var sink = new CollectingSink();
        var emitter = new OrderedEmitter(tasks, sink, maxLinesPerFile: 12, maxHeld: 1, hitsInOrder: false);
        // The later tasks find more hits than may be held while the first has not finished: none of them waits.
        var later = System.Threading.Tasks.Task.Run(() =>
        {
            for (int i = 0; i < 10; i++) emitter.SinkFor(1).OnHit(Hit("a", 100 + i));
            Done(emitter, 1, "a");
            for (int i = 0; i < 10; i++) emitter.SinkFor(2).OnHit(Hit("b", 200 + i));
            Done(emitter, 2, "b");
        });
        Assert.True(later.Wait(TimeSpan.FromSeconds(10)), "a later task waited for the first");
        Assert.Equal(20, sink.Hits.Count);
        Assert.Empty(sink.Files); // no input ends before its first task does
        for (int i = 0; i < 5; i++) emitter.SinkFor(0).OnHit(Hit("a", i));
        Done(emitter, 0, "a");
        Assert.Equal(["a", "b"], sink.Files.Select(f => f.File));
        Assert.Equal(12, sink.Files[0].Stats.Hits); // -m 12: the first 12 lines of a's 15, whichever task found them
        Assert.Equal(10, sink.Files[1].Stats.Hits);
    }
}
