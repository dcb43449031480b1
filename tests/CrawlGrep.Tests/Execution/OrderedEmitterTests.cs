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
    public async Task A_task_scanned_but_not_yet_committed_lets_the_next_print_and_its_input_ends_once_it_is_done()
    {
        var tasks = new[] { Task("a", 0), Task("a", 10), Task("b", 0), Task("c", 0) };
        var sink = new CollectingSink();
        var emitter = new OrderedEmitter(tasks, sink, maxLinesPerFile: null, maxHeld: 2);
        for (int i = 0; i < 3; i++) emitter.SinkFor(0).OnHit(Hit("a", i));
        // The second task holds all it may; the first is scanned, waiting for its commit: the second need not wait.
        var second = System.Threading.Tasks.Task.Run(() =>
        {
            for (int i = 0; i < 10; i++) emitter.SinkFor(1).OnHit(Hit("a", 100 + i));
        });
        await System.Threading.Tasks.Task.Delay(100);
        emitter.OnTaskScanned(0);
        await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([0, 1, 2, .. Enumerable.Range(100, 10)], sink.Hits.Select(h => (int)h.RecordOffset));
        Assert.Empty(sink.Files);

        // b is scanned and done, c scanned: b's hits and c's are out, but no input ends before a's first task is done.
        emitter.OnTaskScanned(1);
        emitter.SinkFor(2).OnHit(Hit("b", 200));
        Done(emitter, 2, "b");
        emitter.SinkFor(3).OnHit(Hit("c", 300));
        emitter.OnTaskScanned(3);
        Assert.Equal(15, sink.Hits.Count);
        Assert.Empty(sink.Files);
        Done(emitter, 1, "a");
        Assert.Empty(sink.Files);
        Done(emitter, 0, "a");
        Assert.Equal(["a", "b"], sink.Files.Select(f => f.File)); // in plan order, each with all its hits
        Assert.Equal([13, 1], sink.Files.Select(f => f.Stats.Hits));
        Done(emitter, 3, "c");
        Assert.Equal(["a", "b", "c"], sink.Files.Select(f => f.File));
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

    [Fact]
    public void Unordered_lines_with_several_hits_each_are_counted_once_however_tasks_interleave()
    {
        var tasks = new[] { Task("a", 0), Task("a", 10) };
        var sink = new CollectingSink();
        var emitter = new OrderedEmitter(tasks, sink, maxLinesPerFile: null, hitsInOrder: false);
        var first = emitter.SinkFor(0);
        var second = emitter.SinkFor(1);
        // Three hits on each line; the two tasks' hits alternate, as two scanning threads' would.
        for (int line = 0; line < 4; line++)
            for (int k = 0; k < 3; k++)
            {
                first.OnHit(Hit("a", 10) with { LineOffset = line });
                second.OnHit(Hit("a", 20) with { LineOffset = line });
            }
        Done(emitter, 0, "a");
        Done(emitter, 1, "a");
        Assert.Equal(8, sink.Hits.Count); // a count takes each line once
        Assert.Equal(8, sink.Hits.Select(h => (h.RecordOffset, h.LineOffset)).Distinct().Count());
        Assert.Equal(24, sink.Files.Single().Stats.Hits);
    }

    /// <summary>Renders a hit as "file:offset;" and records on which thread, and what reaches the output in which order.</summary>
    private sealed class TextRenderer : IHitRenderer
    {
        public readonly System.Text.StringBuilder Output = new();
        public readonly System.Collections.Concurrent.ConcurrentBag<int> RenderThreads = new();

        public ITaskRenderer ForTask() => new Task(this);

        public void Write(ReadOnlySpan<byte> rendered) => Output.Append(System.Text.Encoding.ASCII.GetString(rendered));

        private sealed class Task(TextRenderer owner) : ITaskRenderer
        {
            private byte[] _bytes = [];

            public ReadOnlySpan<byte> Render(Hit hit)
            {
                owner.RenderThreads.Add(Environment.CurrentManagedThreadId);
                _bytes = System.Text.Encoding.ASCII.GetBytes($"{hit.File}:{hit.RecordOffset};");
                return _bytes;
            }
        }
    }

    [Fact]
    public async Task Rendered_hits_are_made_on_their_tasks_threads_and_written_in_plan_order_with_the_cap_applied()
    {
        var tasks = new[] { Task("a", 0), Task("a", 10), Task("b", 0) };
        var sink = new CollectingSink();
        var renderer = new TextRenderer();
        var emitter = new OrderedEmitter(tasks, sink, maxLinesPerFile: 12, renderer: renderer);
        var later = System.Threading.Tasks.Task.Run(() =>
        {
            for (int i = 0; i < 10; i++) emitter.SinkFor(1).OnHit(Hit("a", 100 + i));
            Done(emitter, 1, "a");
            for (int i = 0; i < 10; i++) emitter.SinkFor(2).OnHit(Hit("b", 200 + i));
            Done(emitter, 2, "b");
        });
        await later.WaitAsync(TimeSpan.FromSeconds(10)); // held as bytes: well under the bound, no wait
        Assert.Equal("", renderer.Output.ToString()); // the first task has not given its hits
        Assert.Equal(20, renderer.RenderThreads.Count); // but the later ones are rendered already, on their thread
        Assert.DoesNotContain(Environment.CurrentManagedThreadId, renderer.RenderThreads);
        for (int i = 0; i < 5; i++) emitter.SinkFor(0).OnHit(Hit("a", i));
        Done(emitter, 0, "a");
        var expected = string.Concat(new[] { 0, 1, 2, 3, 4, 100, 101, 102, 103, 104, 105, 106 }.Select(o => $"a:{o};"))
                       + string.Concat(Enumerable.Range(200, 10).Select(o => $"b:{o};"));
        Assert.Equal(expected, renderer.Output.ToString()); // -m 12: a's first 12 lines, in file order
        Assert.Empty(sink.Hits); // the renderer printed them instead
        Assert.Equal([12L, 10L], sink.Files.Select(f => f.Stats.Hits));
    }

    [Fact]
    public async Task A_later_task_that_holds_the_most_rendered_bytes_allowed_waits_for_its_turn()
    {
        var tasks = new[] { Task("a", 0), Task("a", 10) };
        var renderer = new TextRenderer();
        var emitter = new OrderedEmitter(tasks, new CollectingSink(), maxLinesPerFile: null, renderer: renderer);
        var second = System.Threading.Tasks.Task.Run(() =>
        {
            var sink = emitter.SinkFor(1);
            int perHit = "a:1000000;".Length; // what this renderer makes of each of these hits
            for (long i = 0; i < OrderedEmitter.MaxHeldBytes / perHit + 10_000; i++) sink.OnHit(Hit("a", 1_000_000 + i % 10));
            Done(emitter, 1, "a");
        });
        Assert.NotSame(second, await System.Threading.Tasks.Task.WhenAny(second, System.Threading.Tasks.Task.Delay(2000)));
        emitter.SinkFor(0).OnHit(Hit("a", 1));
        Done(emitter, 0, "a");
        await second.WaitAsync(TimeSpan.FromMinutes(5)); // 6.7 million hits: 3 s here, 35 s once on a busy machine
        Assert.StartsWith("a:1;a:1000000;", renderer.Output.ToString());
    }

    /// <summary>A printer whose warnings land in the renderer's output, so their order against the hits shows.</summary>
    private sealed class WarningsInline(TextRenderer renderer) : IHitSink
    {
        public void OnHit(Hit hit) { }
        public void OnWarning(ScanWarning warning) => renderer.Output.Append($"W{warning.Offset};");
        public void OnFileDone(FileScanResult result) => renderer.Output.Append($"end {result.File};");
    }

    [Fact]
    public async Task A_later_task_hands_its_rendered_hits_over_in_batches_in_order_around_its_warnings_with_the_cap_cutting_a_batch()
    {
        var tasks = new[] { Task("a", 0), Task("a", 10) };
        var renderer = new TextRenderer();
        var emitter = new OrderedEmitter(tasks, new WarningsInline(renderer), maxLinesPerFile: 700, renderer: renderer);
        var second = System.Threading.Tasks.Task.Run(() =>
        {
            var sink = emitter.SinkFor(1);
            for (int i = 0; i < 600; i++) sink.OnHit(Hit("a", 1000 + i)); // more than a batch, a part batch left
            sink.OnWarning(new ScanWarning("a", 5000, "truncated record"));
            for (int i = 0; i < 200; i++) sink.OnHit(Hit("a", 2000 + i)); // the cap falls in here
            Done(emitter, 1, "a");
        });
        await second.WaitAsync(TimeSpan.FromSeconds(10)); // held, well under the bound
        Assert.Equal("", renderer.Output.ToString());
        var first = emitter.SinkFor(0);
        for (int i = 0; i < 3; i++) first.OnHit(Hit("a", i));
        Done(emitter, 0, "a");

        var expected = string.Concat(Enumerable.Range(0, 3).Select(o => $"a:{o};"))
                       + string.Concat(Enumerable.Range(1000, 600).Select(o => $"a:{o};"))
                       + "W5000;"
                       + string.Concat(Enumerable.Range(2000, 700 - 603).Select(o => $"a:{o};"))
                       + "end a;";
        Assert.Equal(expected, renderer.Output.ToString());
    }
}
