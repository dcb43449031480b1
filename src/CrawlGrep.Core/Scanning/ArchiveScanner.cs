using System.Buffers;
using System.Text;
using CrawlGrep.Core.Compression;
using CrawlGrep.Core.Matching;
using CrawlGrep.Core.Sources;
using CrawlGrep.Core.Warc;

namespace CrawlGrep.Core.Scanning;

/// <summary>
/// Runs the pipeline for one input: Source → Decoder → WarcReader → RecordFilter → Matcher → HitSink.
/// One instance per worker thread; it reuses its buffers from record to record and file to file.
/// </summary>
public sealed class ArchiveScanner : IDisposable
{
    private const int StreamWindow = 8 << 20;
    /// <summary>How much consecutive pieces of a line longer than <see cref="StreamWindow"/> overlap: the longest match always found.</summary>
    private const int LineOverlap = 64 << 10;

    private readonly ScanOptions _opt;
    private readonly LineMatcher _matcher;
    private readonly PayloadDecoder _payloads = new();
    private readonly HttpHead _http = new();
    private readonly List<LineMatch> _matches = new();
    private readonly List<Hit> _recordHits = new();
    private readonly long[] _reportedUpTo; // per pattern: where its last match in the previous piece of a long line ended
    private DecoderWarning? _warn; // the current input's warning channel

    public ArchiveScanner(ScanOptions options)
    {
        _opt = options;
        _matcher = new LineMatcher(options.Patterns);
        _reportedUpTo = new long[options.Patterns.Patterns.Count];
    }

    /// <summary>Scans a local file.</summary>
    public FileScanResult ScanFile(string path, IHitSink sink, CancellationToken ct = default)
    {
        IByteSource source;
        try { source = new LocalFileSource(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(path, sink, e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : e.Message);
        }
        return Scan(source, sink, ct);
    }

    /// <summary>Scans a whole source. An input that cannot be read at all is reported in the result's Error.</summary>
    public FileScanResult Scan(IByteSource source, IHitSink sink, CancellationToken ct = default) => Scan(source, sink, null, ct);

    /// <summary>
    /// Scans the records <paramref name="slice"/> owns (all of them when null). A slice that starts inside the
    /// input finds its first record silently: bytes before it belong to the slice before.
    /// </summary>
    public FileScanResult Scan(IByteSource source, IHitSink sink, ScanSlice? slice, CancellationToken ct = default)
    {
        var stats = new ScanStats { Files = 1 };
        string file = source.Name;
        long start = slice?.Start ?? 0, end = slice?.End ?? long.MaxValue, sliceLength = slice?.Length ?? long.MaxValue;
        bool midStream = start > 0;
        // A plain record starts after a newline: the byte before a mid-file slice tells whether one starts at its first byte.
        long open = midStream && slice!.Format == ArchiveFormat.Plain ? start - 1 : start;

        void Warn(long offset, string message)
        {
            stats.Warnings++;
            sink.OnWarning(new ScanWarning(file, offset, message));
        }

        Stream stream;
        ArchiveFormat format;
        byte[]? dictionary = null;
        try
        {
            if (midStream)
            {
                format = slice!.Format;
                if (format == ArchiveFormat.Zstd) dictionary = ZstdDictionaryOf(source);
                stream = source.OpenRange(open, source.Length, Math.Min(end, source.Length));
            }
            else
            {
                stream = ReplayStream.Peek(source.OpenRange(0, source.Length, Math.Min(end, source.Length)), FormatDetector.ProbeLength, out var head);
                var detected = FormatDetector.Detect(head, out string? reason);
                if (detected is null) { stream.Dispose(); return Fail(file, sink, reason!, stats); }
                format = detected.Value;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return Fail(file, sink, e.Message, stats);
        }

        _warn = Warn;
        var decoder = ArchiveDecoders.Create(format, stream, open, Warn, dictionary, midStream);
        string? crawl = HitText.Crawl(file) ?? slice?.Crawl;
        long matchingLines = 0, reportedBytes = 0;
        string? readError = null;
        bool stopped = false;
        using (stream)
        using (var reader = new WarcReader(decoder, Warn, new WarcReaderOptions { StartsMidStream = midStream }))
        {
            try
            {
                while (true)
                {
                    if (ct.IsCancellationRequested) { stopped = true; break; }
                    if (!reader.MoveNext()) break;
                    if (reader.CompressedOffset >= end) break; // the next slice's record
                    var h = reader.Header;
                    stats.Records++;
                    if (_opt.Progress is { } p)
                    {
                        long read = Math.Min(reader.CompressedBytesRead, sliceLength);
                        p.Add(read - reportedBytes, 1, 0);
                        reportedBytes = read;
                    }
                    if (h.Type == WarcRecordType.Warcinfo && crawl is null && reader.TryGetBlock(out var info))
                        crawl = HitText.Crawl(Encoding.UTF8.GetString(info[..Math.Min(info.Length, 4096)]));
                    if (!_opt.Filter.AcceptsType(h) || !_opt.Filter.AcceptsUrl(h)) continue;

                    _recordHits.Clear();
                    MatchRecord(reader, file, crawl, stats);
                    if (_recordHits.Count == 0) continue;

                    reader.CompleteRecord();
                    stats.RecordsMatched++;
                    long lastLine = -1;
                    foreach (var hit in _recordHits)
                    {
                        if (hit.LineOffset != lastLine)
                        {
                            if (_opt.MaxLinesPerFile is long max && matchingLines >= max) break;
                            matchingLines++;
                            lastLine = hit.LineOffset;
                        }
                        stats.Hits++;
                        _opt.Progress?.Add(0, 0, 1);
                        sink.OnHit(hit with { RecordOffset = reader.CompressedOffset, RecordLength = reader.CompressedLength });
                    }
                    if (_opt.MaxLinesPerFile is long m && matchingLines >= m) break;
                }
            }
            catch (IOException e)
            {
                // The input went away under us (a disk error, a network that gave up): keep what was found, and fail
                // the task, naming where it stopped, so the scan says it is incomplete and a resume runs it again.
                readError = $"read failed at offset {open + reader.CompressedBytesRead}: {e.Message}";
                stats.Errors++;
            }
            foreach (var report in _matcher.TakeReport().ToList()) Warn(0, report);
            stats.CompressedBytes = reader.CompressedBytesRead;
            _opt.Progress?.Add(Math.Min(stats.CompressedBytes, sliceLength) - reportedBytes, 0, 0);
            stats.DecodedBytes = reader.DecodedBytes;
            if (!midStream && reader.RecordsRead == 0 && reader.StartedWithGarbage)
                return Fail(file, sink, "not a WARC archive (no WARC record found after decompression)", stats);
            // An empty plain file is refused by the detector; an empty compressed one is refused here alike.
            if (!midStream && reader.RecordsRead == 0 && reader.DecodedBytes == 0 && format != ArchiveFormat.Plain)
                return Fail(file, sink, stats.Warnings > 0
                    ? "not a WARC archive: nothing could be decompressed (see the warnings)"
                    : "empty archive: it decompresses to no data, so it holds no WARC record", stats);
        }
        var result = new FileScanResult(file, stats, readError, ArchiveFormats.Name(format)) { Stopped = stopped };
        sink.OnFileDone(result);
        return result;
    }

    /// <summary>The warc-zstd dictionary at the head of <paramref name="source"/>, read once per source and worker.</summary>
    private byte[]? ZstdDictionaryOf(IByteSource source)
    {
        if (_dictionaryOf == source.Name) return _dictionary;
        _dictionary = ZstdDecoder.ReadDictionary(source);
        _dictionaryOf = source.Name;
        return _dictionary;
    }

    private string? _dictionaryOf;
    private byte[]? _dictionary;

    private static FileScanResult Fail(string file, IHitSink sink, string error, ScanStats? stats = null)
    {
        stats ??= new ScanStats { Files = 1 };
        stats.Errors++;
        var r = new FileScanResult(file, stats, error, "");
        sink.OnFileDone(r);
        return r;
    }

    /// <summary>Finds the payload of the current record and matches it; hits go to <see cref="_recordHits"/>.</summary>
    private void MatchRecord(WarcReader reader, string file, string? crawl, ScanStats stats)
    {
        var h = reader.Header;
        bool httpType = h.Type is WarcRecordType.Response or WarcRecordType.Request or WarcRecordType.Revisit;
        if (!reader.TryGetBlock(out var block))
        {
            MatchLargeRecord(reader, file, crawl, stats, httpType);
            return;
        }
        ReadOnlySpan<byte> payload = block;
        bool http = httpType && HttpHead.LooksLikeHttp(block);
        if (http)
        {
            _http.Parse(block);
            payload = block[_http.Length..];
        }
        // The media type is a string: made only for a --mime filter or for hits.
        string? mediaType = _opt.Filter.FiltersMime ? MediaTypeOf(h, block, http) : null;
        if (!_opt.Filter.AcceptsMime(mediaType)) return;
        if (http)
        {
            var te = _http.TransferEncoding(block);
            var ce = _http.ContentEncoding(block);
            if (PayloadDecoder.NeedsDecoding(te, ce))
            {
                payload = _payloads.Decode(payload, te, ce, out string? problem);
                if (problem is not null) _warn!(reader.CompressedOffset, $"{h.TargetUri ?? "record"}: {problem}");
            }
        }
        stats.RecordsScanned++;
        stats.PayloadBytes += payload.Length;
        _matcher.Match(payload, _matches, _opt.LinesOnly);
        if (_matches.Count > 0) AddHits(h, payload, 0, file, crawl, mediaType ?? MediaTypeOf(h, block, http));
    }

    /// <summary>The HTTP Content-Type, else WARC-Identified-Payload-Type, else (not HTTP) the record's Content-Type.</summary>
    private string? MediaTypeOf(WarcHeader h, ReadOnlySpan<byte> block, bool http) =>
        (http ? HitText.MediaType(_http.ContentType(block)) : null)
        ?? IdentifiedType(h)
        ?? (http ? null : HitText.MediaType(h.Get("Content-Type"u8)));

    private static string? IdentifiedType(WarcHeader h) => HitText.MediaType(h.Get("WARC-Identified-Payload-Type"u8));

    /// <summary>
    /// A block too large to hold: stream it in windows that end on line boundaries, so memory stays
    /// bounded and every line is matched whole (a line longer than a window in overlapping pieces).
    /// </summary>
    private void MatchLargeRecord(WarcReader reader, string file, string? crawl, ScanStats stats, bool httpType)
    {
        var h = reader.Header;
        byte[] buf = ArrayPool<byte>.Shared.Rent(StreamWindow);
        try
        {
            int filled = 0;
            while (filled < buf.Length) { int n = reader.ReadBlock(buf.AsSpan(filled)); if (n == 0) break; filled += n; }
            var head = buf.AsSpan(0, filled);
            bool http = httpType && HttpHead.LooksLikeHttp(head);
            int start = 0;
            if (http)
            {
                _http.Parse(head);
                start = _http.Length;
            }
            string? mediaType = MediaTypeOf(h, head, http); // once per (rare) large record
            if (!_opt.Filter.AcceptsMime(mediaType)) return;
            if (http && PayloadDecoder.NeedsDecoding(_http.TransferEncoding(head), _http.ContentEncoding(head)))
            {
                MatchLargeEncodedRecord(reader, buf, filled, file, crawl, stats, mediaType);
                return;
            }
            stats.RecordsScanned++;
            long payloadBase = 0;  // payload offset of data[0]
            long openLine = -1;    // where the line running into this window began, when the last window ended inside it
            Array.Fill(_reportedUpTo, -1);
            while (true)
            {
                var data = buf.AsSpan(start, filled - start);
                bool last = filled < buf.Length;
                int cut = data.Length, report = data.Length;
                bool midLine = false;
                if (!last)
                {
                    int nl = data.LastIndexOf((byte)'\n');
                    if (nl >= 0) cut = report = nl + 1;
                    else
                    {
                        // One line longer than the window: it is matched in pieces that overlap by LineOverlap bytes. A
                        // match belongs to the piece it starts in, before the overlap, so a match up to LineOverlap
                        // long is found whole wherever it lies, and none twice.
                        midLine = true;
                        cut = report = data.Length - LineOverlap;
                    }
                }
                var window = midLine ? data : data[..cut];
                stats.PayloadBytes += cut;
                _matcher.Match(window, _matches, _opt.LinesOnly);
                if (midLine || openLine >= 0) KeepOwnPieceMatches(report, payloadBase);
                if (_matches.Count > 0) AddHits(h, window, payloadBase, file, crawl, mediaType, openLine);
                if (last) break;
                openLine = midLine ? (openLine >= 0 ? openLine : payloadBase) : -1;
                payloadBase += cut;
                int carry = data.Length - cut;
                data[cut..].CopyTo(buf);
                filled = carry;
                start = 0;
                while (filled < buf.Length) { int n = reader.ReadBlock(buf.AsSpan(filled)); if (n == 0) break; filled += n; }
            }
        }
        finally { ArrayPool<byte>.Shared.Return(buf); }
    }

    /// <summary>
    /// Of the matches in a piece of an over-long line: those starting before <paramref name="report"/> (later ones are
    /// the next piece's), and none starting inside a match of the same pattern the previous piece reported.
    /// </summary>
    private void KeepOwnPieceMatches(int report, long payloadBase)
    {
        int kept = 0;
        for (int i = 0; i < _matches.Count; i++)
        {
            var m = _matches[i];
            if (m.Start >= report || payloadBase + m.Start < _reportedUpTo[m.Pattern]) continue;
            _matches[kept++] = m;
        }
        _matches.RemoveRange(kept, _matches.Count - kept);
        foreach (var m in _matches) _reportedUpTo[m.Pattern] = Math.Max(_reportedUpTo[m.Pattern], payloadBase + m.Start + m.Length);
    }

    /// <summary>
    /// A large body with a transfer or content encoding: decoded whole, up to the decoder's cap
    /// (larger input is cut with a warning), so memory stays bounded.
    /// </summary>
    private void MatchLargeEncodedRecord(WarcReader reader, byte[] first, int filled, string file, string? crawl, ScanStats stats, string? mediaType)
    {
        var h = reader.Header;
        int cap = _payloads.MaxDecodedBytes;
        byte[] block = ArrayPool<byte>.Shared.Rent((int)Math.Min(reader.BlockLength, cap));
        try
        {
            first.AsSpan(0, Math.Min(filled, block.Length)).CopyTo(block);
            int n = Math.Min(filled, block.Length);
            while (n < block.Length) { int r = reader.ReadBlock(block.AsSpan(n)); if (r == 0) break; n += r; }
            if (n == block.Length && reader.BlockLength > n)
                _warn!(reader.CompressedOffset, $"{h.TargetUri ?? "record"}: encoded body larger than {cap} bytes: only the first {n} bytes are decoded and matched");
            var head = block.AsSpan(0, n);
            _http.Parse(head);
            var payload = _payloads.Decode(head[_http.Length..], _http.TransferEncoding(head), _http.ContentEncoding(head), out string? problem);
            if (problem is not null) _warn!(reader.CompressedOffset, $"{h.TargetUri ?? "record"}: {problem}");
            stats.RecordsScanned++;
            stats.PayloadBytes += payload.Length;
            _matcher.Match(payload, _matches, _opt.LinesOnly);
            if (_matches.Count > 0) AddHits(h, payload, 0, file, crawl, mediaType);
        }
        finally { ArrayPool<byte>.Shared.Return(block); }
    }

    /// <param name="openLine">Where the window's first line began, when an earlier window holds its start; else -1.</param>
    private void AddHits(WarcHeader h, ReadOnlySpan<byte> window, long payloadBase, string file, string? crawl, string? mediaType, long openLine = -1)
    {
        string? uri = h.TargetUri;
        string? host = HitText.Host(uri);
        string type = h.TypeName;
        foreach (var m in _matches)
        {
            var line = window[m.LineStart..m.LineEnd];
            var pattern = _opt.Patterns.Patterns[m.Pattern];
            _recordHits.Add(new Hit
            {
                File = file,
                Crawl = crawl,
                WarcType = type,
                RecordId = h.RecordId,
                WarcDate = h.Date,
                TargetUri = uri,
                Host = host,
                ContentType = mediaType,
                PatternIndex = m.Pattern,
                Pattern = pattern.Text,
                Match = _opt.LinesOnly ? "" : HitText.Capped(window.Slice(m.Start, m.Length), _opt.MaxMatchBytes),
                MatchOffset = payloadBase + m.Start,
                LineOffset = m.LineStart == 0 && openLine >= 0 ? openLine : payloadBase + m.LineStart,
                Context = _opt.LinesOnly ? "" : HitText.Context(line, m.Start - m.LineStart, m.Length, _opt.ContextBytes, _opt.MaxMatchBytes),
            });
        }
    }

    public void Dispose()
    {
        _matcher.Dispose();
        _payloads.Dispose();
    }
}
