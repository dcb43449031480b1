using System.Runtime.InteropServices;

namespace CrawlGrep.Core.Compression;

/// <summary>
/// libdeflate (Debian package libdeflate0), loaded at run time when present: a whole-buffer gzip decoder about a
/// fifth faster than zlib-ng's streaming inflate. It needs a member's compressed bytes in one buffer and room for all
/// of its output, and says how many input bytes the member took, which gives exact member boundaries.
/// Where the library is missing, <see cref="IsAvailable"/> is false and <see cref="InflateEngines"/> picks another engine.
/// </summary>
internal static unsafe class LibDeflate
{
    public const int Success = 0, BadData = 1, ShortOutput = 2, InsufficientSpace = 3;

    private static readonly delegate* unmanaged<IntPtr> s_alloc;
    private static readonly delegate* unmanaged<IntPtr, void> s_free;
    private static readonly delegate* unmanaged<IntPtr, byte*, nuint, byte*, nuint, nuint*, nuint*, int> s_gzipDecompressEx;

    static LibDeflate()
    {
        // Beside the executable first: a Lambda package ships it there (/var/task), whatever LD_LIBRARY_PATH says.
        if (!NativeLibrary.TryLoad(Path.Combine(AppContext.BaseDirectory, "libdeflate.so.0"), out var lib)
            && !NativeLibrary.TryLoad("libdeflate.so.0", out lib) && !NativeLibrary.TryLoad("libdeflate", out lib)) return;
        if (!NativeLibrary.TryGetExport(lib, "libdeflate_alloc_decompressor", out var alloc)
            || !NativeLibrary.TryGetExport(lib, "libdeflate_free_decompressor", out var free)
            || !NativeLibrary.TryGetExport(lib, "libdeflate_gzip_decompress_ex", out var decompress))
            return;
        s_alloc = (delegate* unmanaged<IntPtr>)alloc;
        s_free = (delegate* unmanaged<IntPtr, void>)free;
        s_gzipDecompressEx = (delegate* unmanaged<IntPtr, byte*, nuint, byte*, nuint, nuint*, nuint*, int>)decompress;
    }

    public static bool IsAvailable => s_gzipDecompressEx != null;

    public static IntPtr Allocate() => IsAvailable ? s_alloc() : IntPtr.Zero;

    public static void Free(IntPtr decompressor)
    {
        if (decompressor != IntPtr.Zero) s_free(decompressor);
    }

    /// <summary>Decodes the gzip member at the start of <paramref name="input"/> into <paramref name="output"/>.</summary>
    public static int GzipDecompress(IntPtr decompressor, ReadOnlySpan<byte> input, Span<byte> output, out int consumed, out int produced)
    {
        nuint inUsed = 0, outUsed = 0;
        int rc;
        fixed (byte* pin = input)
        fixed (byte* pout = output)
            rc = s_gzipDecompressEx(decompressor, pin, (nuint)input.Length, pout, (nuint)output.Length, &inUsed, &outUsed);
        consumed = (int)inUsed;
        produced = (int)outUsed;
        return rc;
    }
}
