namespace CrawlGrep.Core.Sources;

/// <summary>Bytes in memory as a source (a generated sample, a test's archive).</summary>
public sealed class MemorySource(string name, byte[] data) : IByteSource
{
    public string Name => name;
    public long Length => data.Length;
    public Stream OpenRange(long start, long end) => new MemoryStream(data, (int)start, (int)(end - start), writable: false);
}
