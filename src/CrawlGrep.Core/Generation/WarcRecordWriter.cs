using System.Buffers.Binary;
using System.IO.Compression;
using ZstdSharp;

namespace CrawlGrep.Core.Generation;

/// <summary>
/// Writes WARC records to a stream: CRLF header lines, an exact byte Content-Length, the block, then CRLFCRLF.
/// Each record becomes its own gzip member (<see cref="WarcCompression.Gzip"/>), its own zstd frame
/// (<see cref="WarcCompression.Zstd"/>, after an optional dictionary frame), plain bytes, or part of one
/// whole-file gzip member. <see cref="Write"/> returns where the record landed, so tests can check readers
/// against known (offset, length) pairs.
/// </summary>
/// <remarks>
/// gzip members are deterministic: zlib's output for a given level, with the header's OS byte always 3 (Unix,
/// as in Common Crawl's files), so the same records give the same bytes on every platform.
/// </remarks>
public sealed class WarcRecordWriter : IDisposable
{
    /// <summary>zlib level 6: CompressionLevel.Optimal, the default of gzip(1) and of Java's Deflater, close to what CC writes.</summary>
    public const int DefaultGzipLevel = 6;
    public const int DefaultZstdLevel = 3;

    private static ReadOnlySpan<byte> RecordEnd => "\r\n\r\n"u8;

    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly ByteBuffer _header = new(2048);
    private readonly MemoryStream? _member;
    private readonly ZLibCompressionOptions? _gzipOptions;
    private readonly Compressor? _zstd;
    private readonly ByteBuffer? _zstdInput;
    private byte[] _zstdOutput = [];
    private readonly GzipHeaderNormalizingStream? _wholeSink;
    private readonly GZipStream? _whole;
    private long _position;
    private long _uncompressed;
    private bool _disposed;

    /// <param name="output">Destination; written sequentially, never seeked.</param>
    /// <param name="compression">Record layout.</param>
    /// <param name="level">Compression level: zlib 0–9 for gzip (default 6), zstd 1–22 (default 3); ignored for plain.</param>
    /// <param name="zstdDictionary">For zstd: written uncompressed in a dictionary frame at the head and used for every frame.</param>
    /// <param name="leaveOpen">Leave <paramref name="output"/> open on dispose.</param>
    public WarcRecordWriter(Stream output, WarcCompression compression = WarcCompression.Gzip, int level = -1,
        byte[]? zstdDictionary = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (zstdDictionary is not null && compression != WarcCompression.Zstd)
            throw new ArgumentException("a dictionary applies only to zstd", nameof(zstdDictionary));
        _output = output;
        _leaveOpen = leaveOpen;
        Compression = compression;
        switch (compression)
        {
            case WarcCompression.Gzip:
                _gzipOptions = new ZLibCompressionOptions { CompressionLevel = level < 0 ? DefaultGzipLevel : level };
                _member = new MemoryStream(64 * 1024);
                break;
            case WarcCompression.GzipWhole:
                _wholeSink = new GzipHeaderNormalizingStream(output);
                _whole = new GZipStream(_wholeSink, new ZLibCompressionOptions { CompressionLevel = level < 0 ? DefaultGzipLevel : level }, leaveOpen: true);
                break;
            case WarcCompression.Zstd:
                _zstd = new Compressor(level < 0 ? DefaultZstdLevel : level);
                _zstdInput = new ByteBuffer(64 * 1024);
                if (zstdDictionary is not null)
                {
                    _zstd.LoadDictionary(zstdDictionary);
                    _position += WarcZstdDictionary.WriteFrame(output, zstdDictionary);
                    DictionaryFrameLength = (int)_position;
                }
                break;
            case WarcCompression.Plain:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(compression));
        }
    }

    public WarcCompression Compression { get; }

    /// <summary>The version line of each record written by <see cref="Write"/>.</summary>
    public string Version { get; set; } = "WARC/1.0";

    /// <summary>Length of the zstd dictionary frame at the head of the output, or 0.</summary>
    public int DictionaryFrameLength { get; }

    /// <summary>Bytes written to the output so far (for whole-file gzip: what the compressor has emitted so far).</summary>
    public long Position => _wholeSink?.Length ?? _position;

    /// <summary>Uncompressed bytes written so far.</summary>
    public long UncompressedPosition => _uncompressed;

    public int RecordCount { get; private set; }

    /// <summary>
    /// Writes one record. Fields are written in the given order; a <c>Content-Length</c> field gets the block's
    /// byte length as its value (whatever value was passed), and is appended last if absent.
    /// </summary>
    public WrittenRecord Write(IEnumerable<KeyValuePair<string, string>> fields, ReadOnlySpan<byte> block)
    {
        ArgumentNullException.ThrowIfNull(fields);
        _header.Clear();
        _header.Append(Version);
        _header.CrLf();
        bool hasLength = false;
        foreach (var (name, value) in fields)
        {
            if (string.IsNullOrEmpty(name) || name.AsSpan().IndexOfAny(":\r\n") >= 0)
                throw new ArgumentException($"invalid WARC field name '{name}'", nameof(fields));
            if (value.AsSpan().IndexOfAny('\r', '\n') >= 0)
                throw new ArgumentException($"WARC field '{name}' has a line break in its value", nameof(fields));
            _header.Append(name);
            _header.Append(": "u8);
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                hasLength = true;
                _header.Append(block.Length);
            }
            else
            {
                _header.Append(value);
            }
            _header.CrLf();
        }
        if (!hasLength)
        {
            _header.Append("Content-Length: "u8);
            _header.Append(block.Length);
            _header.CrLf();
        }
        _header.CrLf();
        return WriteParts(_header.Span, block, RecordEnd);
    }

    /// <summary>
    /// Writes bytes as they are, as one record unit (one gzip member, one zstd frame): for malformed or
    /// hand-built records in tests. Nothing is added, not even the trailing CRLFCRLF.
    /// </summary>
    public WrittenRecord WriteRaw(ReadOnlySpan<byte> record) => WriteParts(record, default, default, headerLength: 0);

    private WrittenRecord WriteParts(ReadOnlySpan<byte> header, ReadOnlySpan<byte> block, ReadOnlySpan<byte> trailer, int headerLength = -1)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        long uncompressedOffset = _uncompressed;
        long uncompressedLength = header.Length + block.Length + trailer.Length;
        long offset = _position;
        long length;
        uint crc = 0;
        switch (Compression)
        {
            case WarcCompression.Plain:
                _output.Write(header);
                _output.Write(block);
                _output.Write(trailer);
                length = uncompressedLength;
                break;
            case WarcCompression.Gzip:
            {
                var member = _member!;
                member.SetLength(0);
                using (var gz = new GZipStream(member, _gzipOptions!, leaveOpen: true))
                {
                    gz.Write(header);
                    gz.Write(block);
                    gz.Write(trailer);
                }
                byte[] bytes = member.GetBuffer();
                int n = (int)member.Length;
                bytes[9] = GzipHeaderNormalizingStream.UnixOsByte; // see remarks
                crc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(n - 8));
                _output.Write(bytes, 0, n);
                length = n;
                break;
            }
            case WarcCompression.Zstd:
            {
                var input = _zstdInput!;
                input.Clear();
                input.Append(header);
                input.Append(block);
                input.Append(trailer);
                int bound = Compressor.GetCompressBound(input.Length);
                if (_zstdOutput.Length < bound) _zstdOutput = new byte[Math.Max(bound, _zstdOutput.Length * 2)];
                int n = _zstd!.Wrap(input.Span, _zstdOutput);
                _output.Write(_zstdOutput, 0, n);
                length = n;
                break;
            }
            case WarcCompression.GzipWhole:
                _whole!.Write(header);
                _whole.Write(block);
                _whole.Write(trailer);
                offset = 0;
                length = -1;
                break;
            default:
                throw new InvalidOperationException();
        }
        if (length > 0) _position += length;
        _uncompressed += uncompressedLength;
        RecordCount++;
        return new WrittenRecord(offset, length, uncompressedOffset, uncompressedLength,
            headerLength < 0 ? header.Length : headerLength, block.Length, crc);
    }

    /// <summary>Flushes the output. For whole-file gzip this does not end the member; <see cref="Dispose"/> does.</summary>
    public void Flush()
    {
        _whole?.Flush();
        _output.Flush();
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _whole?.Dispose();
        _zstd?.Dispose();
        _output.Flush();
        if (!_leaveOpen) _output.Dispose();
    }
}
