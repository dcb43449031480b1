using CrawlGrep.Core.Scanning;
using DuckDB.NET.Data;

namespace CrawlGrep.Core.Results;

/// <summary>
/// Appends the hits of a <see cref="HitSegment"/> to the <c>hits</c> table, in the column order of
/// <see cref="HitColumns.All"/>: text columns go in as the UTF-8 bytes the segment holds.
/// </summary>
internal static class HitSegmentAppender
{
    public static void Append(DuckDBAppender appender, long scanId, HitSegment s)
    {
        for (int i = 0; i < s.Count; i++)
        {
            ref readonly var hit = ref s.RowAt(i);
            ref readonly var rec = ref s.RecordAt(hit.Record);
            var row = appender.CreateRow().AppendValue(scanId);
            row = Text(row, s, rec.Crawl);
            row = Text(row, s, rec.File);
            row = row.AppendValue(rec.RecordOffset).AppendValue(rec.RecordLength);
            row = Text(row, s, rec.WarcType);
            row = Text(row, s, rec.RecordId);
            row = row.AppendValue(HitSegment.Date(rec));
            row = Text(row, s, rec.TargetUri);
            row = Text(row, s, rec.Host);
            row = Text(row, s, rec.ContentType);
            row = row.AppendValue(hit.PatternIndex);
            row = Text(row, s, hit.Pattern);
            row = Text(row, s, hit.Match);
            row = row.AppendValue(hit.MatchOffset);
            row = Text(row, s, hit.Context);
            row.EndRow();
        }
    }

    private static IDuckDBAppenderRow Text(IDuckDBAppenderRow row, HitSegment s, HitSegment.Text t) =>
        t.IsNull ? row.AppendValue((string?)null) : row.AppendValue(s.Utf8(t));
}
