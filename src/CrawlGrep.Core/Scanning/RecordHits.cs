using CrawlGrep.Core.Matching;
using CrawlGrep.Core.Warc;

namespace CrawlGrep.Core.Scanning;

/// <summary>
/// The hits of one record, collected window by window and sent to the sink once the record is complete (its compressed
/// length is known only then), up to the input's limit of matching lines. One per scanner, reused from record to record.
/// </summary>
public sealed class RecordHits
{
    private readonly ScanOptions _opt;
    private readonly List<Hit> _hits = new();

    public RecordHits(ScanOptions options) => _opt = options;

    public int Count => _hits.Count;

    public void Clear() => _hits.Clear();

    /// <summary>A hit for each of <paramref name="matches"/>, found in <paramref name="window"/> of the record <paramref name="h"/> heads.</summary>
    public void Add(List<LineMatch> matches, scoped in PayloadWindow window, WarcHeader h, string file, string? crawl, string? mediaType)
    {
        string? uri = h.TargetUri;
        string? host = HitText.Host(uri);
        string type = h.TypeName;
        var bytes = window.Bytes;
        foreach (var m in matches)
        {
            var line = bytes[m.LineStart..m.LineEnd];
            var pattern = _opt.Patterns.Patterns[m.Pattern];
            _hits.Add(new Hit
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
                Match = _opt.LinesOnly ? "" : HitText.Capped(bytes.Slice(m.Start, m.Length), _opt.MaxMatchBytes),
                MatchOffset = window.Offset + m.Start,
                LineOffset = m.LineStart == 0 && window.OpenLine >= 0 ? window.OpenLine : window.Offset + m.LineStart,
                Context = _opt.LinesOnly ? "" : HitText.Context(line, m.Start - m.LineStart, m.Length, _opt.ContextBytes, _opt.MaxMatchBytes),
            });
        }
    }

    /// <summary>
    /// Completes the reader's record and sends its hits, with its compressed range, to <paramref name="sink"/>, up to the
    /// input's limit of matching lines (grep -m), counted in <paramref name="matchingLines"/>. False once that limit is reached.
    /// </summary>
    public bool Emit(WarcReader reader, IHitSink sink, ScanStats stats, ref long matchingLines)
    {
        reader.CompleteRecord();
        stats.RecordsMatched++;
        long lastLine = -1;
        foreach (var hit in _hits)
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
        return _opt.MaxLinesPerFile is not long m || matchingLines < m;
    }
}
