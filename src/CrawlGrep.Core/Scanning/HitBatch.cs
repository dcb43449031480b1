namespace CrawlGrep.Core.Scanning;

/// <summary>
/// The hits of one task, kept until the task is committed: in columns (<see cref="HitSegment"/>), and past
/// <see cref="SegmentBytes"/> written out to a temporary file a segment at a time. What it holds in memory is one
/// segment, however many hits the task finds.
/// </summary>
public sealed class HitBatch : IDisposable
{
    /// <summary>The most a batch holds in memory before it writes its hits out.</summary>
    public const int SegmentBytes = 4 << 20;

    private readonly HitSegment _current = new();
    private readonly int _segmentBytes;
    private FileStream? _spill;
    private int _spilledSegments;

    public HitBatch(int segmentBytes = SegmentBytes) => _segmentBytes = segmentBytes;

    /// <summary>Hits added.</summary>
    public long Count { get; private set; }

    public void Add(Hit hit)
    {
        _current.Add(hit);
        Count++;
        if (_current.Bytes >= _segmentBytes) Spill();
    }

    private void Spill()
    {
        _spill ??= new FileStream(Path.Combine(Path.GetTempPath(), $"crawlgrep-hits-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew,
            FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        _current.WriteTo(_spill);
        _spilledSegments++;
        _current.Clear();
    }

    /// <summary>Hands every segment to <paramref name="read"/> in the order the hits were added.</summary>
    public void ForEachSegment(Action<HitSegment> read)
    {
        if (_spill is not null)
        {
            _spill.Flush();
            _spill.Position = 0;
            using var segment = new HitSegment();
            for (int i = 0; i < _spilledSegments; i++)
            {
                segment.ReadFrom(_spill);
                read(segment);
            }
            _spill.Position = _spill.Length;
        }
        if (_current.Count > 0) read(_current);
    }

    /// <summary>The hits as objects, in order (tests, small batches).</summary>
    public List<Hit> ToList()
    {
        var hits = new List<Hit>();
        ForEachSegment(s => { for (int i = 0; i < s.Count; i++) hits.Add(s.HitAt(i)); });
        return hits;
    }

    public void Dispose()
    {
        _current.Dispose();
        _spill?.Dispose();
        _spill = null;
    }
}
