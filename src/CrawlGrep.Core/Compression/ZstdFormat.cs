namespace CrawlGrep.Core.Compression;

/// <summary>Magic numbers of the zstd framing and the IIPC warc-zstd dictionary frame.</summary>
public static class ZstdFormat
{
    public const uint FrameMagic = 0xFD2FB528;
    public const uint SkippableMagicBase = 0x184D2A50;
    /// <summary>warc-zstd puts the dictionary in a skippable frame with this magic at the head of the file.</summary>
    public const uint DictionaryFrameMagic = 0x184D2A5D;
    public const uint DictionaryMagic = 0xEC30A437;
}
