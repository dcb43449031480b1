using System.Buffers;
using CrawlGrep.Core.Scanning;

namespace CrawlGrep.Cli.Output;

/// <summary>
/// A printer of hits as lines of bytes made by a <see cref="ITaskRenderer"/>: on the threads that scan them when the
/// emitter renders (<see cref="IHitRenderer"/>), else here, in <see cref="OnHit"/>. The lines are gathered in one
/// reused buffer and written straight to stdout's stream <see cref="FlushBytes"/> at a time and at each input's end,
/// not a write per hit.
/// </summary>
public abstract class RenderingPrinter(Stream output) : IHitSink, IHitRenderer, IDisposable
{
    /// <summary>Bytes of lines gathered before they are written out.</summary>
    public const int FlushBytes = 1 << 16;

    private readonly ArrayBufferWriter<byte> _buffer = new(FlushBytes * 2);
    private ITaskRenderer? _own; // for hits given to OnHit, not rendered by a task

    public abstract ITaskRenderer ForTask();

    public void Write(ReadOnlySpan<byte> rendered)
    {
        _buffer.Write(rendered);
        if (_buffer.WrittenCount >= FlushBytes) Flush();
    }

    public void OnHit(Hit hit) => Write((_own ??= ForTask()).Render(hit));

    /// <summary>Writes out the lines gathered so far.</summary>
    public void Flush()
    {
        if (_buffer.WrittenCount == 0) return;
        try { output.Write(_buffer.WrittenSpan); }
        finally { _buffer.ResetWrittenCount(); }
    }

    public void OnWarning(ScanWarning warning) { }
    public void OnFileDone(FileScanResult result) => Flush();

    public void Dispose() => Flush();
}
