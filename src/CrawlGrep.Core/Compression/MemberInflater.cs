namespace CrawlGrep.Core.Compression;

/// <summary>
/// A native engine that decodes a whole gzip member in one call (libdeflate or ISA-L), with its per-decoder state:
/// it needs the member's compressed bytes in one buffer and room for all of its output, and says how many input bytes
/// the member took, which gives exact member boundaries.
/// </summary>
internal sealed class MemberInflater : IDisposable
{
    public const int Success = 0, BadData = 1, InsufficientSpace = 3;

    private IntPtr _state;

    private MemberInflater(InflateEngine engine, IntPtr state)
    {
        Engine = engine;
        _state = state;
    }

    public InflateEngine Engine { get; }

    /// <summary>The whole-member inflater of <paramref name="engine"/>, or null for zlib-ng (which streams) or an engine not loaded here.</summary>
    public static MemberInflater? Create(InflateEngine engine)
    {
        var state = engine switch
        {
            InflateEngine.LibDeflate => LibDeflate.Allocate(),
            InflateEngine.Isal => IsaL.Allocate(),
            _ => IntPtr.Zero,
        };
        return state == IntPtr.Zero ? null : new MemberInflater(engine, state);
    }

    /// <summary>Decodes the gzip member at the start of <paramref name="input"/> into <paramref name="output"/>, its CRC-32 and
    /// length checked: <see cref="Success"/>, <see cref="InsufficientSpace"/>, or else <see cref="BadData"/>
    /// (damaged, or not all in <paramref name="input"/>).</summary>
    public int Decompress(ReadOnlySpan<byte> input, Span<byte> output, out int consumed, out int produced)
    {
        if (Engine == InflateEngine.Isal) return IsaL.GzipDecompress(_state, input, output, out consumed, out produced);
        int rc = LibDeflate.GzipDecompress(_state, input, output, out consumed, out produced);
        return rc switch { LibDeflate.Success => Success, LibDeflate.InsufficientSpace => InsufficientSpace, _ => BadData };
    }

    /// <summary>Gives the state back once (a pooled ISA-L state handed to two decoders would be shared by them).</summary>
    public void Dispose()
    {
        var state = _state;
        _state = IntPtr.Zero;
        if (state == IntPtr.Zero) return;
        if (Engine == InflateEngine.Isal) IsaL.Free(state);
        else LibDeflate.Free(state);
    }
}
