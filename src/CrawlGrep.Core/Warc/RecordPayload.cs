using System.Buffers;
using CrawlGrep.Core.Compression;

namespace CrawlGrep.Core.Warc;

/// <summary>
/// The payload of the <see cref="WarcReader"/>'s current record: its block after the HTTP head of a response, request
/// or revisit (the whole block of any other record), with transfer and content encodings undone, and its media type.
/// One per scanner, reused from record to record: it keeps offsets into the block, like <see cref="HttpHead"/>, and
/// allocates only for a media type asked for or a warning.
/// </summary>
public sealed class RecordPayload : IDisposable
{
    private readonly HttpHead _http = new();
    private readonly PayloadDecoder _decoder = new();
    private WarcReader? _reader;
    private bool _isHttp;
    private byte[]? _wholeBody; // a large encoded block, read whole to be decoded; returned by Release

    /// <summary>
    /// Starts on <paramref name="reader"/>'s current record. <paramref name="blockStart"/> is its block, or, for a
    /// block too large to hold, the part of it read so far: the HTTP head is looked for there.
    /// </summary>
    public void Open(WarcReader reader, ReadOnlySpan<byte> blockStart)
    {
        _reader = reader;
        _isHttp = reader.Header.Type is WarcRecordType.Response or WarcRecordType.Request or WarcRecordType.Revisit
                  && HttpHead.LooksLikeHttp(blockStart);
        if (_isHttp) _http.Parse(blockStart);
    }

    private WarcReader Reader => _reader ?? throw new InvalidOperationException("no record opened");

    /// <summary>Where the payload starts in the block: after the HTTP head, if there is one.</summary>
    public int Start => _isHttp ? _http.Length : 0;

    /// <summary>True when a transfer or content encoding must be undone before the payload is matched.</summary>
    public bool IsEncoded(ReadOnlySpan<byte> blockStart) =>
        _isHttp && PayloadDecoder.NeedsDecoding(_http.TransferEncoding(blockStart), _http.ContentEncoding(blockStart));

    /// <summary>The HTTP Content-Type, else WARC-Identified-Payload-Type, else (not HTTP) the record's Content-Type.</summary>
    /// <remarks>A string: made only for a media-type filter or for hits.</remarks>
    public string? MediaType(ReadOnlySpan<byte> blockStart)
    {
        var h = Reader.Header;
        return (_isHttp ? FieldText.MediaType(_http.ContentType(blockStart)) : null)
               ?? FieldText.MediaType(h.Get("WARC-Identified-Payload-Type"u8))
               ?? (_isHttp ? null : FieldText.MediaType(h.Get("Content-Type"u8)));
    }

    /// <summary>
    /// The payload of a held <paramref name="block"/>, decoded when it is encoded: a span over the block itself when it
    /// is not. A body that does not decode is warned of and matched as stored. Valid until the next record.
    /// </summary>
    public ReadOnlySpan<byte> Decoded(ReadOnlySpan<byte> block, DecoderWarning warn)
    {
        var payload = block[Start..];
        if (!IsEncoded(block)) return payload;
        payload = _decoder.Decode(payload, _http.TransferEncoding(block), _http.ContentEncoding(block), out string? problem);
        if (problem is not null) Warn(warn, problem);
        return payload;
    }

    /// <summary>
    /// An encoded body too large to hold: read whole from the reader, after the <paramref name="first"/> bytes already
    /// read, up to the decoder's cap (beyond it, a warning says how much is matched), then decoded. Memory stays
    /// bounded: the cap is the decoder's, and the buffer is pooled until <see cref="Release"/>.
    /// </summary>
    public ReadOnlySpan<byte> ReadDecoded(ReadOnlySpan<byte> first, DecoderWarning warn)
    {
        var reader = Reader;
        int cap = _decoder.MaxDecodedBytes;
        Release();
        byte[] body = _wholeBody = ArrayPool<byte>.Shared.Rent((int)Math.Min(reader.BlockLength, cap));
        int n = Math.Min(first.Length, body.Length);
        first[..n].CopyTo(body);
        while (n < body.Length) { int r = reader.ReadBlock(body.AsSpan(n)); if (r == 0) break; n += r; }
        if (n == body.Length && reader.BlockLength > n)
            Warn(warn, $"encoded body larger than {cap} bytes: only the first {n} bytes are decoded and matched");
        var block = body.AsSpan(0, n);
        _http.Parse(block); // again: the head may end past the first bytes
        return Decoded(block, warn);
    }

    private void Warn(DecoderWarning warn, string problem) =>
        warn(Reader.CompressedOffset, $"{Reader.Header.TargetUri ?? "record"}: {problem}");

    /// <summary>Returns the buffer of a large body read whole, once its payload has been matched.</summary>
    public void Release()
    {
        if (_wholeBody is null) return;
        ArrayPool<byte>.Shared.Return(_wholeBody);
        _wholeBody = null;
    }

    public void Dispose()
    {
        Release();
        _decoder.Dispose();
    }
}
