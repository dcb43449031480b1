namespace CrawlGrep.Core.Scanning;

/// <summary>
/// A stretch of a record's payload handed to the matcher: the whole payload (the common case, a span over the block
/// the reader holds), or one window of a payload streamed in pieces that end on line boundaries.
/// </summary>
public readonly ref struct PayloadWindow
{
    /// <summary>The bytes to match.</summary>
    public readonly ReadOnlySpan<byte> Bytes;

    /// <summary>Payload offset of <see cref="Bytes"/>[0].</summary>
    public readonly long Offset;

    /// <summary>Where the first line of <see cref="Bytes"/> began, when an earlier window holds its start; else -1.</summary>
    public readonly long OpenLine;

    /// <summary>
    /// The bytes this window accounts for, from its start. Less than <see cref="Bytes"/> only in a piece of an
    /// over-long line, whose tail is matched again, as the start of the next piece.
    /// </summary>
    public readonly int Owned;

    /// <summary>True when a line runs across this window's edge, so its matches need de-duplication.</summary>
    public readonly bool SharesLine;

    public PayloadWindow(ReadOnlySpan<byte> bytes, long offset, long openLine, int owned, bool sharesLine)
    {
        Bytes = bytes;
        Offset = offset;
        OpenLine = openLine;
        Owned = owned;
        SharesLine = sharesLine;
    }

    /// <summary>A whole payload in one window.</summary>
    public static PayloadWindow Whole(ReadOnlySpan<byte> payload) => new(payload, 0, -1, payload.Length, false);
}
