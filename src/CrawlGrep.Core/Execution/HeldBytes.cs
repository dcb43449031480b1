using System.Buffers;

namespace CrawlGrep.Core.Execution;

/// <summary>
/// Rendered hits a task holds until its turn, in pooled chunks: what it holds is what it takes (a growing array
/// would double, and leave its old copies to the large-object heap), and it all goes back to the pool at once.
/// </summary>
internal sealed class HeldBytes : IDisposable
{
    private const int ChunkSize = 1 << 20;

    private readonly List<byte[]> _chunks = new();
    private int _used = ChunkSize; // in the last chunk

    /// <summary>Bytes held.</summary>
    public long Length { get; private set; }

    /// <summary>Keeps a copy of <paramref name="bytes"/>; returns where, for <see cref="Get"/>.</summary>
    public (int Chunk, int Offset) Add(ReadOnlySpan<byte> bytes)
    {
        if (ChunkSize - _used < bytes.Length)
        {
            _chunks.Add(ArrayPool<byte>.Shared.Rent(Math.Max(ChunkSize, bytes.Length)));
            _used = 0;
        }
        var at = (_chunks.Count - 1, _used);
        bytes.CopyTo(_chunks[^1].AsSpan(_used));
        _used += bytes.Length;
        Length += bytes.Length;
        return at;
    }

    public ReadOnlySpan<byte> Get(int chunk, int offset, int length) => _chunks[chunk].AsSpan(offset, length);

    public void Dispose()
    {
        foreach (var c in _chunks) ArrayPool<byte>.Shared.Return(c);
        _chunks.Clear();
        _used = ChunkSize;
        Length = 0;
    }
}
