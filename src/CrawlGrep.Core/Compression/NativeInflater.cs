using System.Runtime.InteropServices;

namespace CrawlGrep.Core.Compression;

/// <summary>
/// Raw access to the zlib-ng inflater that ships inside .NET (System.IO.Compression.Native).
/// GZipStream hides where a gzip member ends; this does not, which is what gives every record its
/// exact compressed offset and length. Same engine, so the same speed as GZipStream.
/// </summary>
internal sealed unsafe class NativeInflater : IDisposable
{
    private const string Lib = "libSystem.IO.Compression.Native";
    public const int GzipWindowBits = 31; // 15 + 16: gzip wrapper
    public const int Ok = 0, StreamEnd = 1, NeedDict = 2, DataError = -3, MemError = -4, BufError = -5;

    [StructLayout(LayoutKind.Sequential)]
    private struct ZStream
    {
        public byte* NextIn;
        public byte* NextOut;
        public IntPtr Msg;
        public IntPtr InternalState;
        public uint AvailIn;
        public uint AvailOut;
    }

    [DllImport(Lib, EntryPoint = "CompressionNative_InflateInit2_")]
    private static extern int InflateInit2(ZStream* stream, int windowBits);
    [DllImport(Lib, EntryPoint = "CompressionNative_Inflate")]
    private static extern int Inflate(ZStream* stream, int flush);
    [DllImport(Lib, EntryPoint = "CompressionNative_InflateEnd")]
    private static extern int InflateEnd(ZStream* stream);
    [DllImport(Lib, EntryPoint = "CompressionNative_InflateReset2_")]
    private static extern int InflateReset2(ZStream* stream, int windowBits);

    private readonly ZStream* _z;
    private readonly int _windowBits;

    public NativeInflater(int windowBits = GzipWindowBits)
    {
        _windowBits = windowBits;
        _z = (ZStream*)NativeMemory.AllocZeroed((nuint)sizeof(ZStream));
        int rc = InflateInit2(_z, windowBits);
        if (rc != Ok)
        {
            NativeMemory.Free(_z);
            throw new InvalidOperationException($"zlib inflateInit2 failed ({rc})");
        }
    }

    /// <summary>Last error text from zlib, if any.</summary>
    public string? Message => _z->Msg == IntPtr.Zero ? null : Marshal.PtrToStringAnsi(_z->Msg);

    /// <summary>Inflates from <paramref name="input"/> into <paramref name="output"/>; reports bytes consumed and produced.</summary>
    public int Inflate(ReadOnlySpan<byte> input, Span<byte> output, out int consumed, out int produced)
    {
        fixed (byte* pin = input)
        fixed (byte* pout = output)
        {
            _z->NextIn = pin;
            _z->AvailIn = (uint)input.Length;
            _z->NextOut = pout;
            _z->AvailOut = (uint)output.Length;
            int rc = Inflate(_z, 0);
            consumed = input.Length - (int)_z->AvailIn;
            produced = output.Length - (int)_z->AvailOut;
            _z->NextIn = null;
            _z->NextOut = null;
            return rc;
        }
    }

    /// <summary>Readies the inflater for the next gzip member.</summary>
    public void Reset()
    {
        int rc = InflateReset2(_z, _windowBits);
        if (rc != Ok) throw new InvalidOperationException($"zlib inflateReset2 failed ({rc})");
    }

    public void Dispose()
    {
        InflateEnd(_z);
        NativeMemory.Free(_z);
    }
}
