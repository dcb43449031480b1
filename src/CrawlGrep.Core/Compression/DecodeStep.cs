namespace CrawlGrep.Core.Compression;

/// <summary>
/// The result of one <see cref="IArchiveDecoder.Read"/>: decoded bytes that all belong to one
/// compressed unit (gzip member or zstd frame), and where that unit lies in the compressed file.
/// </summary>
public readonly record struct DecodeStep(
    int Bytes,
    long UnitStart,
    bool UnitEnded,
    long UnitEnd,
    bool Discontinuity = false,
    bool EndOfInput = false)
{
    public static DecodeStep End => new(0, -1, false, -1, EndOfInput: true);
    /// <summary>Bytes were lost before the next step (damaged data skipped); never carries bytes itself.</summary>
    public static DecodeStep Gap => new(0, -1, false, -1, Discontinuity: true);
}
