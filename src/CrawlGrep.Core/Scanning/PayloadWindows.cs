using CrawlGrep.Core.Compression;
using CrawlGrep.Core.Warc;

namespace CrawlGrep.Core.Scanning;

/// <summary>
/// The current record's payload as a sequence of windows for the matcher: one over the held block (no copy), one over a
/// decoded body, or the line-bounded windows of a block too large to hold. Opening reads only the HTTP head, so a
/// media-type filter can refuse the record before any decoding; the first <see cref="Next"/> decodes.
/// <see cref="Dispose"/> returns what a large record borrowed.
/// </summary>
public ref struct PayloadWindows
{
    private readonly RecordPayload _payload;
    private readonly LineWindowReader _lines;
    private readonly DecoderWarning _warn;
    private readonly ReadOnlySpan<byte> _block;  // the held block, or the start of a streamed one (overwritten as it streams)
    private readonly bool _streamed;
    private readonly string? _streamedMediaType; // taken before the start of a streamed block is overwritten
    private bool _started, _streaming;

    public PayloadWindows(WarcReader reader, RecordPayload payload, LineWindowReader lines, DecoderWarning warn)
    {
        _payload = payload;
        _lines = lines;
        _warn = warn;
        _streamed = !reader.TryGetBlock(out _block);
        if (_streamed) _block = lines.Open(reader);
        payload.Open(reader, _block);
        if (_streamed) _streamedMediaType = payload.MediaType(_block); // once per (rare) large record
    }

    /// <summary>The payload's media type (see <see cref="RecordPayload.MediaType"/>).</summary>
    public readonly string? MediaType() => _streamed ? _streamedMediaType : _payload.MediaType(_block);

    /// <summary>The next window of the payload; false after the last.</summary>
    public bool Next(out PayloadWindow window)
    {
        if (!_started)
        {
            _started = true;
            if (!_streamed) { window = PayloadWindow.Whole(_payload.Decoded(_block, _warn)); return true; }
            // An encoded body is decoded whole, up to the decoder's cap; a plain one streams window by window.
            if (_payload.IsEncoded(_block)) { window = PayloadWindow.Whole(_payload.ReadDecoded(_block, _warn)); return true; }
            _lines.SkipHead(_payload.Start);
            _streaming = true;
        }
        if (_streaming) return _lines.Next(out window);
        window = default;
        return false;
    }

    public readonly void Dispose()
    {
        if (!_streamed) return;
        _lines.Release();
        _payload.Release();
    }
}
