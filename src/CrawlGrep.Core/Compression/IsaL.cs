using System.IO.Compression;
using System.Runtime.InteropServices;

namespace CrawlGrep.Core.Compression;

/// <summary>
/// Intel ISA-L's inflate (Debian package libisal2), loaded at run time when present, used only when asked for
/// (<see cref="InflateEngines"/>): <c>isal_inflate_stateless</c> decodes one whole gzip member, header, CRC-32 and length
/// checked, and says how many input bytes it took. Its state (<c>struct inflate_state</c>, 85 KiB) has no accessor
/// functions: the fields used here are written at the offsets of ISA-L 2.30's header (libisal-dev), and a
/// library whose layout differs fails the decode run at load and is not used.
/// </summary>
internal static unsafe class IsaL
{
    public const int Success = 0, BadData = 1, InsufficientSpace = 3; // as LibDeflate's

    // struct inflate_state of ISA-L 2.30 (igzip_lib.h) on LP64 (x86_64, arm64): sizeof 87368.
    private const int NextOutAt = 0, AvailOutAt = 8, TotalOutAt = 12, NextInAt = 16, AvailInAt = 32, BlockStateAt = 21160, CrcFlagAt = 21172;
    private const int StateSize = 87368;
    /// <summary>Room beyond the 2.30 size, so that a later, larger state is at worst misread by the load check, never overrun.</summary>
    private const int StateAllocation = StateSize + (40 << 10);
    private const uint IsalGzip = 1;          // crc_flag: parse the gzip header, check CRC-32 and ISIZE
    private const int BlockFinish = 5;        // ISAL_BLOCK_FINISH
    private const int OutOverflow = 2;        // ISAL_OUT_OVERFLOW

    private static readonly delegate* unmanaged<byte*, void> s_init;
    private static readonly delegate* unmanaged<byte*, int> s_stateless;
    private static readonly bool s_available;

    /// <summary>States given back by finished decoders, for the next ones: one per decoding thread, not one per member or task.</summary>
    private static readonly Stack<IntPtr> s_pool = new();
    private static readonly int s_poolLimit = Math.Max(4, 2 * Environment.ProcessorCount);

    static IsaL()
    {
        // Beside the executable first (a package that ships it), then the system's.
        if (!NativeLibrary.TryLoad(Path.Combine(AppContext.BaseDirectory, "libisal.so.2"), out var lib)
            && !NativeLibrary.TryLoad("libisal.so.2", out lib) && !NativeLibrary.TryLoad("libisal", out lib)) return;
        if (!NativeLibrary.TryGetExport(lib, "isal_inflate_init", out var init)
            || !NativeLibrary.TryGetExport(lib, "isal_inflate_stateless", out var stateless))
            return;
        s_init = (delegate* unmanaged<byte*, void>)init;
        s_stateless = (delegate* unmanaged<byte*, int>)stateless;
        s_available = LayoutHolds();
    }

    public static bool IsAvailable => s_available;

    /// <summary>A state for one decoder, from the pool when one is there; null where ISA-L is not available.</summary>
    public static IntPtr Allocate()
    {
        if (!s_available) return IntPtr.Zero;
        lock (s_pool)
            if (s_pool.TryPop(out var pooled)) return pooled;
        return NewState();
    }

    public static void Free(IntPtr state)
    {
        if (state == IntPtr.Zero) return;
        lock (s_pool)
            if (s_pool.Count < s_poolLimit) { s_pool.Push(state); return; }
        NativeMemory.AlignedFree((void*)state);
    }

    private static IntPtr NewState()
    {
        var state = (byte*)NativeMemory.AlignedAlloc(StateAllocation, 64);
        NativeMemory.Clear(state, StateAllocation);
        s_init(state);
        return (IntPtr)state;
    }

    /// <summary>Decodes the gzip member at the start of <paramref name="input"/> into <paramref name="output"/>: <see cref="Success"/>,
    /// <see cref="InsufficientSpace"/> (the output is larger), or <see cref="BadData"/> (damaged, or not all in <paramref name="input"/>).</summary>
    public static int GzipDecompress(IntPtr state, ReadOnlySpan<byte> input, Span<byte> output, out int consumed, out int produced)
    {
        var s = (byte*)state;
        int rc;
        fixed (byte* pin = input)
        fixed (byte* pout = output)
        {
            *(byte**)(s + NextInAt) = pin;
            *(uint*)(s + AvailInAt) = (uint)input.Length;
            *(byte**)(s + NextOutAt) = pout;
            *(uint*)(s + AvailOutAt) = (uint)output.Length;
            *(uint*)(s + CrcFlagAt) = IsalGzip;
            rc = s_stateless(s);
            *(byte**)(s + NextInAt) = null;
            *(byte**)(s + NextOutAt) = null;
        }
        consumed = input.Length - (int)*(uint*)(s + AvailInAt);
        produced = (int)*(uint*)(s + TotalOutAt);
        if (rc == 0 && *(int*)(s + BlockStateAt) == BlockFinish) return Success;
        consumed = produced = 0;
        return rc == OutOverflow ? InsufficientSpace : BadData;
    }

    /// <summary>
    /// Whether this library reads and writes the state where the 2.30 layout says: a member
    /// decodes to its text and stops at its end, and a cut one, a short output and a wrong CRC-32 are each refused.
    /// </summary>
    private static bool LayoutHolds()
    {
        var text = new byte[96 << 10];
        var rng = new Random(13);
        for (int i = 0; i < text.Length; i++) text[i] = (byte)(i % 4099 < 2000 ? 'a' + rng.Next(26) : ' ' + (i * 7 % 64));
        var gz = new MemoryStream();
        using (var z = new GZipStream(gz, CompressionLevel.Optimal, leaveOpen: true)) z.Write(text);
        var member = gz.ToArray();
        var input = new byte[member.Length + 4];
        member.CopyTo(input, 0);
        input.AsSpan(member.Length).Fill(0x1f); // what follows the member is not taken
        var output = new byte[text.Length + 64];
        var state = NewState();
        try
        {
            if (GzipDecompress(state, input, output, out int consumed, out int produced) != Success
                || consumed != member.Length || produced != text.Length || !output.AsSpan(0, produced).SequenceEqual(text))
                return false;
            if (GzipDecompress(state, member.AsSpan(0, member.Length - 3), output, out _, out _) != BadData) return false;
            if (GzipDecompress(state, member, output.AsSpan(0, text.Length - 1), out _, out _) != InsufficientSpace) return false;
            member[^8] ^= 1; // the CRC-32
            return GzipDecompress(state, member, output, out _, out _) == BadData;
        }
        finally
        {
            NativeMemory.AlignedFree((void*)state);
        }
    }
}
