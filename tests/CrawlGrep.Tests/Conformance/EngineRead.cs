using CrawlGrep.Core.Compression;
using CrawlGrep.Core.Scanning;
using CrawlGrep.Core.Warc;

namespace CrawlGrep.Tests.Conformance;

/// <summary>What the reader said about one record.</summary>
internal sealed record ReadRecord(
    string TypeName,
    string? RecordId,
    long CompressedOffset,
    long CompressedLength,
    bool Truncated,
    long? ContentLength,
    int BlockBytes);

internal sealed record EngineWarning(long Offset, string Message)
{
    public override string ToString() => $"@{Offset}: {Message}";
}

internal sealed record ReadResult(ArchiveFormat? Format, string? Reason, List<ReadRecord> Records, List<EngineWarning> Warnings, bool StartedWithGarbage)
{
    public IEnumerable<string?> Ids => Records.Select(r => r.RecordId);

    /// <summary>Each record's compressed offset and length: what an index lists for it.</summary>
    public List<FileExtent> Extents => Records.Select(r => new FileExtent(r.CompressedOffset, r.CompressedLength)).ToList();
}

/// <summary>Drives the engine the way the scanner does: FormatDetector, then the decoder it names, then WarcReader.</summary>
internal static class EngineRead
{
    public static ArchiveFormat? Detect(ReadOnlySpan<byte> bytes, out string? reason) =>
        FormatDetector.Detect(bytes[..Math.Min(bytes.Length, FormatDetector.ProbeLength)], out reason);

    public static IArchiveDecoder Decoder(ArchiveFormat format, Stream input, long baseOffset, DecoderWarning warn, byte[]? zstdDictionary = null) =>
        ArchiveDecoders.Create(format, input, baseOffset, warn, zstdDictionary);

    /// <summary>Reads every record of a whole file held in memory.</summary>
    public static ReadResult ReadAll(byte[] bytes, WarcReaderOptions? options = null)
    {
        var format = Detect(bytes, out string? reason);
        if (format is null) return new ReadResult(null, reason, [], [], false);
        return ReadUnits(format.Value, new MemoryStream(bytes, writable: false), 0, null, options) with { Reason = reason };
    }

    /// <summary>Reads the records of <paramref name="input"/>, which starts at <paramref name="baseOffset"/> of its file.</summary>
    public static ReadResult ReadUnits(ArchiveFormat format, Stream input, long baseOffset, byte[]? zstdDictionary = null, WarcReaderOptions? options = null)
    {
        var warnings = new List<EngineWarning>();
        var records = new List<ReadRecord>();
        DecoderWarning warn = (offset, message) => warnings.Add(new EngineWarning(offset, message));
        using var reader = new WarcReader(Decoder(format, input, baseOffset, warn, zstdDictionary), warn, options);
        while (reader.MoveNext())
        {
            var h = reader.Header;
            int blockBytes = reader.TryGetBlock(out var block) ? block.Length : -1;
            string type = h.TypeName;
            string? id = h.RecordId;
            long? cl = h.ContentLength;
            reader.CompleteRecord();
            records.Add(new ReadRecord(type, id, reader.CompressedOffset, reader.CompressedLength, reader.Truncated, cl, blockBytes));
        }
        return new ReadResult(format, null, records, warnings, reader.StartedWithGarbage);
    }

    /// <summary>Reads exactly <c>[offset, offset + length)</c> of a file, as a range request would.</summary>
    public static ReadResult ReadRange(string path, ArchiveFormat format, long offset, long length, byte[]? zstdDictionary = null)
    {
        byte[] slice = new byte[length];
        using (var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            fs.Seek(offset, SeekOrigin.Begin);
            fs.ReadExactly(slice);
        }
        return ReadUnits(format, new MemoryStream(slice, writable: false), offset, zstdDictionary);
    }
}

/// <summary>Keeps everything the scanner reports.</summary>
internal sealed class CollectingSink : IHitSink
{
    public List<Hit> Hits { get; } = new();
    public List<ScanWarning> Warnings { get; } = new();
    public List<FileScanResult> Files { get; } = new();

    public void OnHit(Hit hit) { lock (Hits) Hits.Add(hit); }
    public void OnWarning(ScanWarning warning) { lock (Warnings) Warnings.Add(warning); }
    public void OnFileDone(FileScanResult result) { lock (Files) Files.Add(result); }
}

/// <summary>A temporary folder for built or damaged archives, deleted with its contents.</summary>
internal sealed class ScratchDir : IDisposable
{
    public ScratchDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "crawlgrep-conformance-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string name, byte[] bytes)
    {
        string p = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(p, bytes);
        return p;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
