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
public sealed partial class ArchiveScanner : IDisposable
{
    /// <summary>Records scanned between two additions to the shared progress counters.</summary>
    private const int ProgressEvery = 16;

    private readonly ScanOptions _opt;
    private readonly LineMatcher _matcher;
    private readonly RecordPayload _payload = new();
    private readonly LineWindowReader _lines;
    private readonly List<LineMatch> _matches = new();
    private readonly RecordHits _recordHits;
    private DecoderWarning? _warn; // the current input's warning channel

    public ArchiveScanner(ScanOptions options)
    {
        _opt = options;
        _matcher = new LineMatcher(options.Patterns);
        _lines = new LineWindowReader(options.Patterns.Patterns.Count);
        _recordHits = new RecordHits(options);
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
        if (slice?.Records is not null) return ScanRecordList(source, sink, slice, ct);
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

        // Open and detect.
        if (Open(source, slice, midStream, open, end, out var stream, out var format, out var dictionary, out var mapped) is { } openError)
            return Fail(file, sink, openError, stats);
        _warn = Warn;
        var decoder = mapped is not null
            ? ArchiveDecoders.Create(format, mapped, open, Warn, dictionary, midStream)
            : ArchiveDecoders.Create(format, stream, open, Warn, dictionary, midStream);
        string? crawl = HitText.Crawl(file) ?? slice?.Crawl;
        long matchingLines = 0, reportedBytes = 0;
        int unreported = 0; // records not yet added to the progress counters
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
                    stats.Records++;
                    if (_opt.Progress is { } p && ++unreported == ProgressEvery)
                    {
                        // Every few records, not each: the counters are shared by every scanning thread.
                        long read = Math.Min(reader.CompressedBytesRead, sliceLength);
                        p.Add(read - reportedBytes, unreported, 0);
                        reportedBytes = read;
                        unreported = 0;
                    }
                    if (!ScanRecord(reader, file, ref crawl, stats, sink, ref matchingLines)) break;
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
            _opt.Progress?.Add(Math.Min(stats.CompressedBytes, sliceLength) - reportedBytes, unreported, 0);
            stats.DecodedBytes = reader.DecodedBytes;
            if (NotAnArchive(reader, midStream, format, stats) is { } notArchive) return Fail(file, sink, notArchive, stats);
        }
        var result = new FileScanResult(file, stats, readError, ArchiveFormats.Name(format)) { Stopped = stopped };
        sink.OnFileDone(result);
        return result;
    }

    /// <summary>
    /// Filters and matches the reader's current record and sends its hits. False when the input has given its -m
    /// matching lines: the scan stops.
    /// </summary>
    private bool ScanRecord(WarcReader reader, string file, ref string? crawl, ScanStats stats, IHitSink sink, ref long matchingLines)
    {
        var h = reader.Header;
        // The crawl's name, when the path does not give it, is in its warcinfo record.
        if (h.Type == WarcRecordType.Warcinfo && crawl is null && reader.TryGetBlock(out var info))
            crawl = HitText.Crawl(Encoding.UTF8.GetString(info[..Math.Min(info.Length, 4096)]));
        if (!_opt.Filter.AcceptsType(h) || !_opt.Filter.AcceptsUrl(h)) return true; // before any payload is read

        _recordHits.Clear();
        MatchRecord(reader, file, crawl, stats);
        return _recordHits.Count == 0 || _recordHits.Emit(reader, sink, stats, ref matchingLines);
    }

    /// <summary>
    /// Opens the bytes from <paramref name="open"/> on and tells their format: the slice's, mid-file, else detected from
    /// the head. A local file comes as <paramref name="mapped"/> windows, anything else as a stream. Returns why the
    /// input cannot be scanned, or null.
    /// </summary>
    private string? Open(IByteSource source, ScanSlice? slice, bool midStream, long open, long end, out Stream stream, out ArchiveFormat format,
        out byte[]? dictionary, out FileWindows? mapped)
    {
        stream = Stream.Null;
        format = default;
        dictionary = null;
        mapped = null;
        try
        {
            if (midStream)
            {
                format = slice!.Format;
                if (format == ArchiveFormat.Zstd) dictionary = ZstdDictionaryOf(source);
                if (Map(source, open) is { } windows) { mapped = windows; return null; }
                stream = source.OpenRange(open, source.Length, Math.Min(end, source.Length));
                return null;
            }
            if (Map(source, open) is { } head)
            {
                var known = FormatDetector.Detect(head.Current, out string? why);
                if (known is null) { head.Dispose(); return why!; }
                format = known.Value;
                mapped = head;
                return null;
            }
            stream = ReplayStream.Peek(source.OpenRange(0, source.Length, Math.Min(end, source.Length)), FormatDetector.ProbeLength, out var bytes);
            var detected = FormatDetector.Detect(bytes, out string? reason);
            if (detected is null) { stream.Dispose(); return reason!; }
            format = detected.Value;
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// A local file's windows, the first from <paramref name="open"/>; null for any other source, under
    /// <c>--no-mmap</c>, or for a file that cannot be mapped, which is then read as a stream.
    /// </summary>
    private FileWindows? Map(IByteSource source, long open)
    {
        if (!_opt.MapLocalFiles || source is not LocalFileSource local || open >= local.Length) return null;
        FileWindows? windows = null;
        try
        {
            windows = local.MapWindows(_opt.MapWindow);
            windows.MoveTo(open, FormatDetector.ProbeLength);
            return windows;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException) { }
        windows?.Dispose();
        return null;
    }

    /// <summary>Why a whole input read without finding a record is not an archive; null when it is one.</summary>
    private static string? NotAnArchive(WarcReader reader, bool midStream, ArchiveFormat format, ScanStats stats)
    {
        if (midStream || reader.RecordsRead > 0) return null;
        if (reader.StartedWithGarbage) return "not a WARC archive (no WARC record found after decompression)";
        // An empty plain file is refused by the detector; an empty compressed one is refused here alike.
        if (reader.DecodedBytes == 0 && format != ArchiveFormat.Plain)
            return stats.Warnings > 0
                ? "not a WARC archive: nothing could be decompressed (see the warnings)"
                : "empty archive: it decompresses to no data, so it holds no WARC record";
        return null;
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

    /// <summary>Matches the current record's payload, window by window; hits go to <see cref="_recordHits"/>.</summary>
    private void MatchRecord(WarcReader reader, string file, string? crawl, ScanStats stats)
    {
        var payload = new PayloadWindows(reader, _payload, _lines, _warn!);
        try
        {
            // The media type is a string: made only for a --mime filter or for hits.
            string? mediaType = _opt.Filter.FiltersMime ? payload.MediaType() : null;
            if (!_opt.Filter.AcceptsMime(mediaType)) return;
            stats.RecordsScanned++;
            while (payload.Next(out var window))
            {
                stats.PayloadBytes += window.Owned;
                _matcher.Match(window.Bytes, _matches, _opt.LinesOnly);
                if (window.SharesLine) _lines.KeepOwnPieceMatches(_matches, window);
                if (_matches.Count > 0) _recordHits.Add(_matches, window, reader.Header, file, crawl, mediaType ??= payload.MediaType());
            }
        }
        finally { payload.Dispose(); }
    }

    public void Dispose()
    {
        _matcher.Dispose();
        _payload.Dispose();
        _recordHits.Dispose();
        _lines.Release(); // held only when reading a large record failed
    }
}
