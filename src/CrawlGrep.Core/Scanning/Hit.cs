using System.Text;

namespace CrawlGrep.Core.Scanning;

/// <summary>
/// One match: the row shape of the <c>hits</c> table (see DESIGN.md).
/// </summary>
/// <remarks>
/// A scanner gives <see cref="Match"/> and <see cref="Context"/> as UTF-8 bytes (<see cref="MatchUtf8"/>,
/// <see cref="ContextUtf8"/>, slices of one array per record), and the printers and the result file take them as
/// such: a broad pattern finds millions of hits, and a string made for each, to be encoded back to UTF-8 when written,
/// was most of what a hit cost. The strings are made on first use, for whoever asks. Either side may be given; the one
/// given is the value, the other is derived from it once (in an array of its own, so a reader on another thread sees
/// the whole of it or nothing).
/// </remarks>
public sealed record Hit
{
    private string? _match, _context;
    private ReadOnlyMemory<byte> _matchGiven, _contextGiven; // the value, when given as UTF-8
    private bool _matchIsUtf8, _contextIsUtf8;
    private byte[]? _matchEncoded, _contextEncoded;          // the UTF-8 of a value given as a string

    public required string File { get; init; }
    public string? Crawl { get; init; }
    /// <summary>Compressed byte offset of the record in <see cref="File"/> (CC's warc_record_offset).</summary>
    public long RecordOffset { get; init; }
    /// <summary>Compressed byte length of the record (CC's warc_record_length).</summary>
    public long RecordLength { get; init; }
    public string? WarcType { get; init; }
    public string? RecordId { get; init; }
    public DateTime? WarcDate { get; init; }
    public string? TargetUri { get; init; }
    public string? Host { get; init; }
    public string? ContentType { get; init; }
    /// <summary>Index of the pattern in the scan's pattern list.</summary>
    public int PatternIndex { get; init; }
    public required string Pattern { get; init; }

    /// <summary>The matched text, capped.</summary>
    public string Match
    {
        get => _match ??= Encoding.UTF8.GetString(_matchGiven.Span);
        init => (_match, _matchIsUtf8, _matchGiven, _matchEncoded) = (value, false, default, null);
    }

    /// <summary><see cref="Match"/> as UTF-8 (valid UTF-8, whichever way it was given).</summary>
    public ReadOnlyMemory<byte> MatchUtf8
    {
        get => _matchIsUtf8 ? _matchGiven : _matchEncoded ??= Encoding.UTF8.GetBytes(_match ?? "");
        init => (_matchGiven, _matchIsUtf8, _match, _matchEncoded) = (value, true, null, null);
    }

    /// <summary>Byte offset of the match in the record's decoded payload.</summary>
    public long MatchOffset { get; init; }
    /// <summary>Byte offset in the payload of the line holding the match (groups hits per line).</summary>
    public long LineOffset { get; init; }

    /// <summary>The line around the match, trimmed to a bounded width, without CR/LF.</summary>
    public string Context
    {
        get => _context ??= Encoding.UTF8.GetString(_contextGiven.Span);
        init => (_context, _contextIsUtf8, _contextGiven, _contextEncoded) = (value, false, default, null);
    }

    /// <summary><see cref="Context"/> as UTF-8 (valid UTF-8, whichever way it was given).</summary>
    public ReadOnlyMemory<byte> ContextUtf8
    {
        get => _contextIsUtf8 ? _contextGiven : _contextEncoded ??= Encoding.UTF8.GetBytes(_context ?? "");
        init => (_contextGiven, _contextIsUtf8, _context, _contextEncoded) = (value, true, null, null);
    }

    // By the columns' values, however the text was given.
    public bool Equals(Hit? other) =>
        other is not null && (ReferenceEquals(this, other) ||
            File == other.File && Crawl == other.Crawl && RecordOffset == other.RecordOffset && RecordLength == other.RecordLength
            && WarcType == other.WarcType && RecordId == other.RecordId && WarcDate == other.WarcDate && TargetUri == other.TargetUri
            && Host == other.Host && ContentType == other.ContentType && PatternIndex == other.PatternIndex && Pattern == other.Pattern
            && MatchOffset == other.MatchOffset && LineOffset == other.LineOffset
            && MatchUtf8.Span.SequenceEqual(other.MatchUtf8.Span) && ContextUtf8.Span.SequenceEqual(other.ContextUtf8.Span));

    public override int GetHashCode() =>
        HashCode.Combine(HashCode.Combine(File, Crawl, RecordOffset, RecordLength, WarcType, RecordId, WarcDate, TargetUri),
            HashCode.Combine(Host, ContentType, PatternIndex, Pattern, MatchOffset, LineOffset, Match, Context));
}
