using CrawlGrep.Core.Compression;
using CrawlGrep.Core.Sources;
using CrawlGrep.Core.Warc;

namespace CrawlGrep.Core.Scanning;

public sealed partial class ArchiveScanner
{
    /// <summary>
    /// Scans a record-list slice (an index-guided task): reads each of its ranges, one request each, and matches
    /// only the records it lists. The records between them are decoded and skipped before any filter, and are not
    /// counted. A listed offset where no record starts gets one warning, and the scan goes on.
    /// </summary>
    private FileScanResult ScanRecordList(IByteSource source, IHitSink sink, ScanSlice slice, CancellationToken ct) =>
        new RecordListScan(this, source, sink, slice).Run(ct);

    /// <summary>One record-list scan of one input: where it is in the list, and what it has read.</summary>
    private sealed class RecordListScan
    {
        private readonly ArchiveScanner _scanner;
        private readonly IByteSource _source;
        private readonly IHitSink _sink;
        private readonly ScanSlice _slice;
        private readonly IReadOnlyList<FileExtent> _listed;
        private readonly ScanStats _stats = new() { Files = 1 };
        private readonly DecoderWarning _warn, _damage;
        private string? _crawl;
        private long _matchingLines, _fetched, _reported;
        private int _next; // the first listed record neither found nor passed
        private FileExtent _found; // the listed record last found
        private string? _readError;
        private bool _stopped, _full;

        public RecordListScan(ArchiveScanner scanner, IByteSource source, IHitSink sink, ScanSlice slice)
        {
            _scanner = scanner;
            _source = source;
            _sink = sink;
            _slice = slice;
            _listed = slice.Records!;
            _warn = Warn;
            _damage = Damage;
            _crawl = HitText.Crawl(source.Name) ?? slice.Crawl;
        }

        private void Warn(long offset, string message)
        {
            _stats.Warnings++;
            _sink.OnWarning(new ScanWarning(_source.Name, offset, message));
        }

        /// <summary>
        /// Damage the decoder or reader found: told when it is at a listed offset or in the listed record last found.
        /// Damage in the records between them, or in one a wrong listed length cut off at the end of a read, is in
        /// bytes no selected record needs.
        /// </summary>
        private void Damage(long offset, string message)
        {
            if ((offset >= _found.Offset && offset < _found.End) || IsListed(offset)) Warn(offset, message);
        }

        private bool IsListed(long offset)
        {
            int lo = 0, hi = _listed.Count - 1;
            while (lo <= hi)
            {
                int mid = (lo + hi) >>> 1;
                long at = _listed[mid].Offset;
                if (at == offset) return true;
                if (at < offset) lo = mid + 1; else hi = mid - 1;
            }
            return false;
        }

        private bool Going => !_stopped && !_full && _readError is null;

        public FileScanResult Run(CancellationToken ct)
        {
            _scanner._warn = _warn;
            foreach (var range in _slice.Reads ?? [])
            {
                PassListed(range.Offset);
                // A read starts at a listed record. Where none starts (a stale or wrong index), that one is warned of
                // and the read goes on from its next listed record, if any: nothing is decoded from a wrong offset.
                for (long from = range.Offset; Going && from < range.End && !ReadFrom(from, range.End, ct);)
                {
                    PassListed(from + 1);
                    from = _next < _listed.Count && _listed[_next].Offset < range.End ? _listed[_next].Offset : range.End;
                }
                _scanner._opt.Progress?.Add(_fetched - _reported, 0, 0);
                _reported = _fetched;
                if (!Going) break;
            }
            if (Going) PassListed(long.MaxValue);
            foreach (var report in _scanner._matcher.TakeReport().ToList()) Warn(0, report);
            _stats.CompressedBytes = _fetched;
            var result = new FileScanResult(_source.Name, _stats, _readError, ArchiveFormats.Name(_slice.Format)) { Stopped = _stopped };
            _sink.OnFileDone(result);
            return result;
        }

        /// <summary>
        /// Reads [<paramref name="from"/>, <paramref name="end"/>) and matches the listed records in it, up to the
        /// last one (what follows it is not needed). False, having read only its first bytes, when no record starts
        /// at <paramref name="from"/>.
        /// </summary>
        private bool ReadFrom(long from, long end, CancellationToken ct)
        {
            if (ct.IsCancellationRequested) { _stopped = true; return true; }
            Stream? stream = null;
            IArchiveDecoder decoder;
            try
            {
                byte[]? dictionary = _slice.Format == ArchiveFormat.Zstd && from > 0 ? _scanner.ZstdDictionaryOf(_source) : null;
                stream = _source.OpenRange(from, end);
                stream = ReplayStream.Peek(stream, FormatDetector.ProbeLength, out var head);
                if (FormatDetector.Detect(head, out _) != _slice.Format)
                {
                    _fetched += head.Length;
                    stream.Dispose();
                    return false;
                }
                decoder = ArchiveDecoders.Create(_slice.Format, stream, from, _damage, dictionary);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                stream?.Dispose();
                _readError = $"read failed at offset {from}: {e.Message}";
                _stats.Errors++;
                return true;
            }
            using (stream)
            using (var reader = new WarcReader(decoder, _damage))
            {
                try
                {
                    while (_next < _listed.Count && _listed[_next].Offset < end)
                    {
                        if (ct.IsCancellationRequested) { _stopped = true; break; }
                        if (!reader.MoveNext()) break;
                        long at = reader.CompressedOffset;
                        PassListed(at);
                        if (_next == _listed.Count || _listed[_next].Offset != at) continue; // in a gap: another task's, or none's
                        _found = _listed[_next++];
                        _stats.Records++;
                        if (_scanner._opt.Progress is { } p)
                        {
                            long read = _fetched + reader.CompressedBytesRead;
                            p.Add(read - _reported, 1, 0);
                            _reported = read;
                        }
                        if (!_scanner.ScanRecord(reader, _source.Name, ref _crawl, _stats, _sink, ref _matchingLines)) { _full = true; break; }
                    }
                }
                catch (IOException e)
                {
                    // The input went away under us: keep what was found, and fail the task, naming where it stopped.
                    _readError = $"read failed at offset {from + reader.CompressedBytesRead}: {e.Message}";
                    _stats.Errors++;
                }
                _fetched += reader.CompressedBytesRead;
                _stats.DecodedBytes += reader.DecodedBytes;
            }
            return true;
        }

        /// <summary>Warns of each listed record before <paramref name="offset"/> not yet found or passed: no record starts where it says.</summary>
        private void PassListed(long offset)
        {
            for (; _next < _listed.Count && _listed[_next].Offset < offset; _next++)
                Warn(_listed[_next].Offset, _listed[_next].Offset >= _source.Length
                    ? $"the index lists a record at this offset, past the end of the file ({_source.Length} bytes): skipped"
                    : "the index lists a record at this offset, but no record starts there (a stale or wrong index?): skipped");
        }
    }
}
