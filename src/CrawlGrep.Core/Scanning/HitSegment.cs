using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;

namespace CrawlGrep.Core.Scanning;

/// <summary>
/// A run of hits in columns: a fixed-size row per hit, a row per record its hits share, and every text value as UTF-8
/// in one byte arena. All three live in pooled arrays; a segment is filled, written out or appended, then cleared and
/// filled again, so holding hits costs their bytes, not an object and two strings each.
/// </summary>
public sealed class HitSegment : IDisposable
{
    /// <summary>Where a text value lies in the arena; a negative length is null.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public readonly record struct Text(int Start, int Length)
    {
        public static readonly Text Null = new(0, -1);
        public bool IsNull => Length < 0;
    }

    /// <summary>The columns of a hit that are its own.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Row
    {
        public int Record;
        public int PatternIndex;
        public long MatchOffset;
        public long LineOffset;
        public Text Pattern;
        public Text Match;
        public Text Context;
    }

    /// <summary>The columns a record's hits share.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct RecordRow
    {
        public long RecordOffset;
        public long RecordLength;
        /// <summary>WARC-Date in ticks and its kind; <see cref="DateKind"/> -1 is null.</summary>
        public long DateTicks;
        public int DateKind;
        public Text Crawl, File, WarcType, RecordId, TargetUri, Host, ContentType;
    }

    private Row[] _rows = ArrayPool<Row>.Shared.Rent(256);
    private RecordRow[] _records = ArrayPool<RecordRow>.Shared.Rent(32);
    private byte[] _arena = ArrayPool<byte>.Shared.Rent(1 << 14);

    // The strings of the last hit added, to find a record's (and a pattern's) columns already in the arena.
    private Hit? _last;

    public int Count { get; private set; }
    public int RecordCount { get; private set; }
    public int ArenaLength { get; private set; }

    /// <summary>Bytes the segment's content takes (what it costs to hold, and to write out).</summary>
    public long Bytes => (long)Count * Marshal.SizeOf<Row>() + (long)RecordCount * Marshal.SizeOf<RecordRow>() + ArenaLength;

    public ref readonly Row RowAt(int i) => ref _rows[i];
    public ref readonly RecordRow RecordAt(int i) => ref _records[i];

    /// <summary>The UTF-8 bytes of a text value (empty for null: check <see cref="Text.IsNull"/>).</summary>
    public Span<byte> Utf8(Text t) => t.IsNull ? Span<byte>.Empty : _arena.AsSpan(t.Start, t.Length);

    public string? String(Text t) => t.IsNull ? null : Encoding.UTF8.GetString(_arena, t.Start, t.Length);

    public static DateTime? Date(in RecordRow r) => r.DateKind < 0 ? null : new DateTime(r.DateTicks, (DateTimeKind)r.DateKind);

    public void Add(Hit hit)
    {
        var last = _last;
        // By value: a scan's hits share a record's strings, but hits decoded from a remote task's result do not.
        bool sameRecord = last is not null && RecordCount > 0 && last.RecordOffset == hit.RecordOffset && last.RecordLength == hit.RecordLength
                          && string.Equals(last.File, hit.File) && string.Equals(last.RecordId, hit.RecordId)
                          && string.Equals(last.TargetUri, hit.TargetUri) && string.Equals(last.ContentType, hit.ContentType)
                          && string.Equals(last.Crawl, hit.Crawl) && string.Equals(last.WarcType, hit.WarcType)
                          && string.Equals(last.Host, hit.Host) && last.WarcDate == hit.WarcDate;
        if (!sameRecord)
        {
            if (RecordCount == _records.Length) Grow(ref _records, RecordCount + 1);
            _records[RecordCount++] = new RecordRow
            {
                RecordOffset = hit.RecordOffset, RecordLength = hit.RecordLength,
                DateTicks = hit.WarcDate?.Ticks ?? 0, DateKind = hit.WarcDate is { } d ? (int)d.Kind : -1,
                Crawl = Put(hit.Crawl), File = Put(hit.File), WarcType = Put(hit.WarcType), RecordId = Put(hit.RecordId),
                TargetUri = Put(hit.TargetUri), Host = Put(hit.Host), ContentType = Put(hit.ContentType),
            };
        }
        if (Count == _rows.Length) Grow(ref _rows, Count + 1);
        var pattern = Count > 0 && last is not null && string.Equals(last.Pattern, hit.Pattern) ? _rows[Count - 1].Pattern : Put(hit.Pattern);
        _rows[Count++] = new Row
        {
            Record = RecordCount - 1, PatternIndex = hit.PatternIndex, MatchOffset = hit.MatchOffset, LineOffset = hit.LineOffset,
            Pattern = pattern, Match = Put(hit.MatchUtf8.Span), Context = Put(hit.ContextUtf8.Span),
        };
        _last = hit;
    }

    /// <summary>The hit of row <paramref name="i"/> as an object (tests, and readers that want one).</summary>
    public Hit HitAt(int i)
    {
        ref readonly var row = ref _rows[i];
        ref readonly var rec = ref _records[row.Record];
        return new Hit
        {
            File = String(rec.File) ?? "", Crawl = String(rec.Crawl), RecordOffset = rec.RecordOffset, RecordLength = rec.RecordLength,
            WarcType = String(rec.WarcType), RecordId = String(rec.RecordId), WarcDate = Date(rec), TargetUri = String(rec.TargetUri),
            Host = String(rec.Host), ContentType = String(rec.ContentType), PatternIndex = row.PatternIndex, Pattern = String(row.Pattern) ?? "",
            Match = String(row.Match) ?? "", MatchOffset = row.MatchOffset, LineOffset = row.LineOffset, Context = String(row.Context) ?? "",
        };
    }

    private Text Put(string? s)
    {
        if (s is null) return Text.Null;
        int max = Encoding.UTF8.GetMaxByteCount(s.Length);
        if (ArenaLength + max > _arena.Length) Grow(ref _arena, ArenaLength + max);
        int n = Encoding.UTF8.GetBytes(s, _arena.AsSpan(ArenaLength));
        var t = new Text(ArenaLength, n);
        ArenaLength += n;
        return t;
    }

    private Text Put(ReadOnlySpan<byte> utf8)
    {
        if (ArenaLength + utf8.Length > _arena.Length) Grow(ref _arena, ArenaLength + utf8.Length);
        utf8.CopyTo(_arena.AsSpan(ArenaLength));
        var t = new Text(ArenaLength, utf8.Length);
        ArenaLength += utf8.Length;
        return t;
    }

    private static void Grow<T>(ref T[] array, int needed)
    {
        var bigger = ArrayPool<T>.Shared.Rent(Math.Max(needed, array.Length * 2));
        array.AsSpan().CopyTo(bigger);
        ArrayPool<T>.Shared.Return(array);
        array = bigger;
    }

    public void Clear()
    {
        Count = RecordCount = ArenaLength = 0;
        _last = null;
    }

    /// <summary>Writes the segment's content to <paramref name="s"/>, as <see cref="ReadFrom"/> reads it back.</summary>
    public void WriteTo(Stream s)
    {
        Span<int> head = [Count, RecordCount, ArenaLength];
        s.Write(MemoryMarshal.AsBytes(head));
        s.Write(MemoryMarshal.AsBytes(_rows.AsSpan(0, Count)));
        s.Write(MemoryMarshal.AsBytes(_records.AsSpan(0, RecordCount)));
        s.Write(_arena, 0, ArenaLength);
    }

    /// <summary>Replaces the content with a segment <see cref="WriteTo"/> wrote.</summary>
    public void ReadFrom(Stream s)
    {
        Clear();
        Span<int> head = stackalloc int[3];
        s.ReadExactly(MemoryMarshal.AsBytes(head));
        if (head[0] > _rows.Length) Grow(ref _rows, head[0]);
        if (head[1] > _records.Length) Grow(ref _records, head[1]);
        if (head[2] > _arena.Length) Grow(ref _arena, head[2]);
        s.ReadExactly(MemoryMarshal.AsBytes(_rows.AsSpan(0, head[0])));
        s.ReadExactly(MemoryMarshal.AsBytes(_records.AsSpan(0, head[1])));
        s.ReadExactly(_arena.AsSpan(0, head[2]));
        (Count, RecordCount, ArenaLength) = (head[0], head[1], head[2]);
    }

    public void Dispose()
    {
        if (_arena.Length == 0) return;
        ArrayPool<Row>.Shared.Return(_rows);
        ArrayPool<RecordRow>.Shared.Return(_records);
        ArrayPool<byte>.Shared.Return(_arena);
        (_rows, _records, _arena) = ([], [], []);
        Clear();
    }
}
