using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace CrawlGrep.Core.Matching.Prefilters;

/// <summary>
/// Asks for the haystack a little ahead of a vector loop. On the 110 MB benchmark text (one thread, x64),
/// Teddy and the case-insensitive single-literal search ran 30–60% faster with it: the hardware prefetcher
/// alone left their loops waiting on memory.
/// </summary>
internal static class Prefetch
{
    /// <summary>Bytes ahead of the current position (2 to 4 KB measured best).</summary>
    public const int Distance = 2048;

    /// <summary>
    /// Prefetches the cache line <see cref="Distance"/> bytes after <paramref name="position"/>. The address is
    /// made as a native pointer, so it may lie past the haystack: a prefetch never faults, and only hints.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Ahead(ref byte position)
    {
        if (Sse.IsSupported) Sse.Prefetch0((byte*)Unsafe.AsPointer(ref position) + Distance);
    }
}
