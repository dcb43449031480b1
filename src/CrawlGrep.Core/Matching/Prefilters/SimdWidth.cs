using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace CrawlGrep.Core.Matching.Prefilters;

/// <summary>
/// The widest vectors a searcher uses. The best the hardware offers is the default; tests ask for narrower
/// ones to exercise every path on one machine.
/// </summary>
internal enum SimdWidth
{
    Scalar = 1,
    Vector128 = 16,
    Vector256 = 32,
}

internal static class SimdWidths
{
    /// <summary>Widest accelerated compare-and-mask vectors (for searches built on equality).</summary>
    public static SimdWidth BestCompare { get; } =
        Vector256.IsHardwareAccelerated ? SimdWidth.Vector256 : Vector128.IsHardwareAccelerated ? SimdWidth.Vector128 : SimdWidth.Scalar;

    /// <summary>
    /// Widest vectors with a native in-lane 16-entry byte table lookup: pshufb (SSSE3, and AVX2 for 256 bits) or
    /// the Arm64 tbl instruction.
    /// </summary>
    public static SimdWidth BestShuffle { get; } =
        Avx2.IsSupported ? SimdWidth.Vector256
        : Vector128.IsHardwareAccelerated && (Ssse3.IsSupported || AdvSimd.Arm64.IsSupported) ? SimdWidth.Vector128
        : SimdWidth.Scalar;

    /// <summary>The narrower of <paramref name="requested"/> and <paramref name="best"/>.</summary>
    public static SimdWidth Clamp(SimdWidth requested, SimdWidth best) => requested < best ? requested : best;
}
