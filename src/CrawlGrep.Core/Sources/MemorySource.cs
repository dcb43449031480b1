namespace CrawlGrep.Core.Sources;

/// <summary>Bytes in memory as a source (a generated sample, a test's archive).</summary>
public sealed class MemorySource(string name, byte[] data) : IByteSource
{
    /// <summary>The bytes served.</summary>
    public byte[] Bytes => data;
    public string Name => name;
    public long Length => data.Length;
    public Stream OpenRange(long start, long end) => new MemoryStream(data, (int)start, (int)(Math.Min(end, data.Length) - start), writable: false);
}
