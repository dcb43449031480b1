using CrawlGrep.Core.Compression;

namespace CrawlGrep.Bench;

/// <summary>One inflate engine decoding gzip members from memory, each whole (zlib-ng: streamed into the same buffer, reset
/// between members), as the inflate benchmarks time it.</summary>
public sealed class MemberDecoder : IDisposable
{
    private readonly MemberInflater? _whole;
    private readonly NativeInflater? _zlib;
    private readonly byte[] _output = new byte[32 << 20];

    public MemberDecoder(InflateEngine engine)
    {
        if (!InflateEngines.IsAvailable(engine))
            throw new InvalidOperationException($"{InflateEngines.Name(engine)} is not installed (apt-get install libdeflate0 libisal2)");
        Engine = engine;
        _whole = MemberInflater.Create(engine);
        _zlib = _whole is null ? new NativeInflater() : null;
    }

    public InflateEngine Engine { get; }

    /// <summary>Decodes <paramref name="members"/> of <paramref name="bytes"/>; returns the bytes they inflate to.</summary>
    public long Decode(byte[] bytes, ReadOnlySpan<(int Offset, int Length)> members)
    {
        long total = 0;
        foreach (var (offset, length) in members)
        {
            var member = bytes.AsSpan(offset, length);
            int produced;
            if (_whole is not null)
            {
                if (_whole.Decompress(member, _output, out _, out produced) != MemberInflater.Success)
                    throw new InvalidOperationException($"member at {offset} failed");
            }
            else
            {
                int rc = _zlib!.Inflate(member, _output, out _, out produced);
                _zlib.Reset();
                if (rc != NativeInflater.StreamEnd) throw new InvalidOperationException($"member at {offset} failed ({rc})");
            }
            total += produced;
        }
        return total;
    }

    public void Dispose()
    {
        _whole?.Dispose();
        _zlib?.Dispose();
    }
}
