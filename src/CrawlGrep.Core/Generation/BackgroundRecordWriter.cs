using System.Buffers;
using System.Collections.Concurrent;

namespace CrawlGrep.Core.Generation;

/// <summary>
/// Runs a <see cref="WarcRecordWriter"/> on its own thread: <see cref="Write"/> copies the record into a
/// bounded queue and returns, so compressing the WET and WAT overlaps with generating the next pages.
/// Records are written in the order they were queued, so the output is the same as a direct write.
/// </summary>
internal sealed class BackgroundRecordWriter : IDisposable
{
    private readonly record struct Job(KeyValuePair<string, string>[] Fields, byte[] Block, int Length);

    private readonly WarcRecordWriter _writer;
    private readonly BlockingCollection<Job> _queue = new(boundedCapacity: 256);
    private readonly Thread _thread;
    private readonly List<WrittenRecord> _index = new();
    private volatile Exception? _error;
    private volatile bool _abandoned;
    private bool _completed;

    public BackgroundRecordWriter(WarcRecordWriter writer, string name)
    {
        _writer = writer;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    public WarcRecordWriter Writer => _writer;

    /// <summary>Where each record landed; complete after <see cref="Complete"/>.</summary>
    public List<WrittenRecord> Index => _index;

    public void Write(IReadOnlyList<KeyValuePair<string, string>> fields, ReadOnlySpan<byte> block)
    {
        if (_error is { } e) throw new IOException("writing failed: " + e.Message, e);
        byte[] copy = ArrayPool<byte>.Shared.Rent(Math.Max(1, block.Length));
        block.CopyTo(copy);
        _queue.Add(new Job(fields.ToArray(), copy, block.Length));
    }

    /// <summary>Writes what is queued, then disposes the writer. Rethrows a failure of the writing thread.</summary>
    public void Complete()
    {
        if (_completed) return;
        _completed = true;
        _queue.CompleteAdding();
        _thread.Join();
        _writer.Dispose();
        if (_error is { } e) throw new IOException("writing failed: " + e.Message, e);
    }

    private void Run()
    {
        foreach (var job in _queue.GetConsumingEnumerable())
        {
            try
            {
                if (_error is null && !_abandoned)
                    _index.Add(_writer.Write(job.Fields, job.Block.AsSpan(0, job.Length)));
            }
            catch (Exception e)
            {
                _error = e; // keep draining so the producer never blocks on a full queue
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(job.Block);
            }
        }
    }

    /// <summary>Stops without writing what is still queued (after a failure or cancellation elsewhere).</summary>
    public void Dispose()
    {
        if (!_completed)
        {
            _completed = true;
            _abandoned = true;
            _queue.CompleteAdding();
            _thread.Join();
            _writer.Dispose();
        }
        _queue.Dispose();
    }
}
