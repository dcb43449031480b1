using CrawlGrep.Core.Scanning;
using DuckDB.NET.Data;

namespace CrawlGrep.Core.Results;

/// <summary>
/// Appends hits kept in columns (<see cref="HitSegment"/>) to <c>hit_records</c> and <c>hit_matches</c>, inside the
/// commit's transaction: a segment's records get consecutive <c>record_no</c>s from the first free one, and its hits
/// point to them. Text columns go in as the UTF-8 bytes the segment holds, with their length (a string would go to
/// DuckDB NUL-terminated, and a context cut from binary data would end at its first NUL byte).
/// </summary>
internal sealed class HitSegmentAppender(DuckDBConnection connection, long scanId, long firstRecordNo)
{
    private long _nextRecordNo = firstRecordNo;

    public void Append(HitBatch batch) => batch.ForEachSegment(Append);

    /// <summary>
    /// Appends one segment through appenders of its own: closing them hands the rows to the transaction, so what
    /// DuckDB's appenders gather (a few hundred thousand rows before they pass them on) stays at one segment's.
    /// </summary>
    public void Append(HitSegment s)
    {
        using var records = connection.CreateAppender("hit_records");
        using var matches = connection.CreateAppender("hit_matches");
        long first = _nextRecordNo;
        for (int i = 0; i < s.RecordCount; i++)
        {
            ref readonly var rec = ref s.RecordAt(i);
            var row = records.CreateRow().AppendValue(scanId).AppendValue(first + i);
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
            var row = matches.CreateRow().AppendValue(scanId).AppendValue(first + hit.Record).AppendValue(hit.PatternIndex);
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
}
