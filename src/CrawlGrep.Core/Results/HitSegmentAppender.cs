using CrawlGrep.Core.Scanning;
using DuckDB.NET.Data;

namespace CrawlGrep.Core.Results;

/// <summary>
/// Appends hits kept in columns (<see cref="HitSegment"/>) to <c>hit_records</c> and <c>hit_matches</c>, inside the
/// commit's transaction: a segment's records get consecutive <c>record_no</c>s from the first free one, and its hits
/// point to them. Text columns go in as the UTF-8 bytes the segment holds, with their length (a string would go to
/// DuckDB NUL-terminated, and a context cut from binary data would end at its first NUL byte).
/// </summary>
internal sealed class HitSegmentAppender : IDisposable
{
    private readonly DuckDBAppender _records;
    private readonly DuckDBAppender _matches;
    private readonly long _scanId;
    private long _nextRecordNo;

    public HitSegmentAppender(DuckDBConnection connection, long scanId, long firstRecordNo)
    {
        _records = connection.CreateAppender("hit_records");
        _matches = connection.CreateAppender("hit_matches");
        _scanId = scanId;
        _nextRecordNo = firstRecordNo;
    }

    public void Append(HitBatch batch) => batch.ForEachSegment(Append);

    public void Append(HitSegment s)
    {
        long first = _nextRecordNo;
        for (int i = 0; i < s.RecordCount; i++)
        {
            ref readonly var rec = ref s.RecordAt(i);
            var row = _records.CreateRow().AppendValue(_scanId).AppendValue(first + i);
            row = Text(row, s, rec.Crawl);
            row = Text(row, s, rec.File);
            row = row.AppendValue(rec.RecordOffset).AppendValue(rec.RecordLength);
            row = Text(row, s, rec.WarcType);
            row = Text(row, s, rec.RecordId);
            row = row.AppendValue(HitSegment.Date(rec));
            row = Text(row, s, rec.TargetUri);
            row = Text(row, s, rec.Host);
            row = Text(row, s, rec.ContentType);
            row.EndRow();
        }
        for (int i = 0; i < s.Count; i++)
        {
            ref readonly var hit = ref s.RowAt(i);
            var row = _matches.CreateRow().AppendValue(_scanId).AppendValue(first + hit.Record).AppendValue(hit.PatternIndex);
            row = Text(row, s, hit.Pattern);
            row = Text(row, s, hit.Match);
            row = row.AppendValue(hit.MatchOffset);
            row = Text(row, s, hit.Context);
            row.EndRow();
        }
        _nextRecordNo = first + s.RecordCount;
    }

    private static IDuckDBAppenderRow Text(IDuckDBAppenderRow row, HitSegment s, HitSegment.Text t) =>
        t.IsNull ? row.AppendValue((string?)null) : row.AppendValue(s.Utf8(t));

    public void Dispose()
    {
        _records.Dispose();
        _matches.Dispose();
    }
}
