using System.Buffers.Binary;

namespace CrawlGrep.Core.Compression;

/// <summary>Tells the archive format from the leading bytes, never from the file name.</summary>
public static class FormatDetector
{
    /// <summary>How many leading bytes <see cref="Detect"/> looks at.</summary>
    public const int ProbeLength = 64;

    /// <summary>Returns the format, or null with a reason when the bytes are not a readable archive.</summary>
    public static ArchiveFormat? Detect(ReadOnlySpan<byte> head, out string? reason)
    {
        reason = null;
        if (head.Length >= 2 && head[0] == 0x1f && head[1] == 0x8b) return ArchiveFormat.Gzip;
        if (head.Length >= 4)
        {
            uint magic = BinaryPrimitives.ReadUInt32LittleEndian(head);
            if (magic == ZstdFormat.FrameMagic) return ArchiveFormat.Zstd;
            if ((magic & 0xFFFFFFF0) == ZstdFormat.SkippableMagicBase) return ArchiveFormat.Zstd;
            if (magic == 0x184D2204) { reason = "LZ4-compressed archive (not supported; decompress it first)"; return null; }
        }
        var trimmed = head.TrimStart("\r\n\t "u8);
        if (trimmed.StartsWith("WARC/"u8)) return ArchiveFormat.Plain;
        if (head.StartsWith("BZh"u8)) { reason = "bzip2-compressed file (not supported; decompress it first)"; return null; }
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z'])) { reason = "xz-compressed file (not supported; decompress it first)"; return null; }
        if (trimmed.StartsWith("filedesc://"u8)) { reason = "ARC file, not WARC (ARC is not supported)"; return null; }
        if (head.IsEmpty) { reason = "empty file"; return null; }
        reason = "not a WARC archive (no WARC/, gzip or zstd signature at the start)";
        return null;
    }
}
