namespace CrawlGrep.Core.Scanning;

/// <summary>Live counters of a running scan, shared by all workers, read by a progress display.</summary>
public sealed class ScanProgress
{
    private long _compressedBytes, _records, _hits;

    public long CompressedBytes => Interlocked.Read(ref _compressedBytes);
    public long Records => Interlocked.Read(ref _records);
    public long Hits => Interlocked.Read(ref _hits);

    public void Add(long compressedBytes, long records, long hits)
    {
        if (compressedBytes != 0) Interlocked.Add(ref _compressedBytes, compressedBytes);
        if (records != 0) Interlocked.Add(ref _records, records);
        if (hits != 0) Interlocked.Add(ref _hits, hits);
    }
}
