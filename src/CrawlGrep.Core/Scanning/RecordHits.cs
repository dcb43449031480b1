using CrawlGrep.Core.Matching;
using CrawlGrep.Core.Warc;

namespace CrawlGrep.Core.Scanning;

/// <summary>
/// The hits of one record, collected window by window and sent to the sink once the record is complete (its compressed
/// length is known only then), up to the input's limit of matching lines. One per scanner, reused from record to record.
/// The matches and contexts are kept as UTF-8 and handed out in a few arrays per record, no string made for them.
/// </summary>
public sealed class RecordHits : IDisposable
{
    /// <summary>What a hit has of its own; the columns it shares with the record's other hits are kept once.</summary>
    private readonly record struct Found(int Pattern, Range Match, long MatchOffset, long LineOffset, Range Context);

    /// <summary>The most text of a record's hits handed out in one array (well below the large-object heap's 85,000 bytes).</summary>
    private const int ChunkBytes = 16 << 10;

    private readonly ScanOptions _opt;
    private readonly List<Found> _hits = new();
    private readonly TextArena _text = new();
    private string _file = "";
    private string? _crawl, _type, _recordId, _uri, _host, _mediaType;
    private DateTime? _date;

    public RecordHits(ScanOptions options) => _opt = options;

    public int Count => _hits.Count;

    public void Clear()
    {
        _hits.Clear();
        _text.Clear();
    }

    public void Dispose() => _text.Dispose();

    /// <summary>A hit for each of <paramref name="matches"/>, found in <paramref name="window"/> of the record <paramref name="h"/> heads.</summary>
    public void Add(List<LineMatch> matches, scoped in PayloadWindow window, WarcHeader h, string file, string? crawl, string? mediaType)
    {
        if (_hits.Count == 0)
        {
            _file = file;
            _crawl = crawl;
            _type = h.TypeName;
            _recordId = h.RecordId;
            _date = h.Date;
            _uri = h.TargetUri;
            _host = HitText.Host(_uri);
            _mediaType = mediaType;
        }
        var bytes = window.Bytes;
        foreach (var m in matches)
        {
            var line = bytes[m.LineStart..m.LineEnd];
            _hits.Add(new Found(
                m.Pattern,
                _opt.LinesOnly ? default : HitText.AppendCapped(bytes.Slice(m.Start, m.Length), _opt.MaxMatchBytes, _text),
                window.Offset + m.Start,
                m.LineStart == 0 && window.OpenLine >= 0 ? window.OpenLine : window.Offset + m.LineStart,
                _opt.LinesOnly ? default : HitText.AppendContext(line, m.Start - m.LineStart, m.Length, _opt.ContextBytes, _opt.MaxMatchBytes, _text)));
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
        long lastLine = -1, sent = 0;
        // The hits' text goes out in arrays of their own (a hit may outlive the record), a few hits' worth each: small
        // objects, which a collection soon after frees, not one large one per record that waits for a full collection.
        ReadOnlyMemory<byte> chunk = default;
        int chunkFrom = 0, chunkTo = 0;
        for (int i = 0; i < _hits.Count; i++)
        {
            var f = _hits[i];
            if (f.Context.End.Value > chunkTo) // each hit's match then its context were appended after the last hit's
            {
                chunkFrom = f.Match.Start.Value;
                chunkTo = f.Context.End.Value;
                for (int j = i + 1; j < _hits.Count && _hits[j].Context.End.Value - chunkFrom <= ChunkBytes; j++) chunkTo = _hits[j].Context.End.Value;
                chunk = _text.Written[chunkFrom..chunkTo].ToArray();
            }
            if (f.LineOffset != lastLine)
            {
                if (_opt.MaxLinesPerFile is long max && matchingLines >= max) break;
                matchingLines++;
                lastLine = f.LineOffset;
            }
            stats.Hits++;
            sent++;
            sink.OnHit(new Hit
            {
                File = _file,
                Crawl = _crawl,
                RecordOffset = reader.CompressedOffset,
                RecordLength = reader.CompressedLength,
                WarcType = _type,
                RecordId = _recordId,
                WarcDate = _date,
                TargetUri = _uri,
                Host = _host,
                ContentType = _mediaType,
                PatternIndex = f.Pattern,
                Pattern = _opt.Patterns.Patterns[f.Pattern].Text,
                MatchUtf8 = chunk[(f.Match.Start.Value - chunkFrom)..(f.Match.End.Value - chunkFrom)],
                MatchOffset = f.MatchOffset,
                LineOffset = f.LineOffset,
                ContextUtf8 = chunk[(f.Context.Start.Value - chunkFrom)..(f.Context.End.Value - chunkFrom)],
            });
        }
        _opt.Progress?.Add(0, 0, sent); // once per record: the counters are shared by every scanning thread
        return _opt.MaxLinesPerFile is not long m || matchingLines < m;
    }
}
