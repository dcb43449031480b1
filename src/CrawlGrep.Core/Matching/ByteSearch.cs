using System.Text;

namespace CrawlGrep.Core.Matching;

/// <summary>Vectorized byte searches used by the prefilters.</summary>
public static class ByteSearch
{
    /// <summary>First occurrence of ASCII <paramref name="literal"/> in <paramref name="hay"/>, ignoring ASCII case.</summary>
    public static int IndexOfIgnoreAsciiCase(ReadOnlySpan<byte> hay, ReadOnlySpan<byte> literal)
    {
        if (literal.IsEmpty) return 0;
        int anchor = 0;
        for (int i = 1; i < literal.Length; i++)
            if (ByteFrequencies.Of(literal[i], ignoreAsciiCase: true) < ByteFrequencies.Of(literal[anchor], ignoreAsciiCase: true)) anchor = i;
        byte a = literal[anchor];
        byte lo = IsLetter(a) ? (byte)(a | 0x20) : a, up = IsLetter(a) ? (byte)(a & ~0x20) : a;
        int pos = anchor;
        while (pos < hay.Length)
        {
            var rest = hay[pos..];
            int k = lo == up ? rest.IndexOf(lo) : rest.IndexOfAny(lo, up);
            if (k < 0) return -1;
            int start = pos + k - anchor;
            if (start + literal.Length > hay.Length) return -1;
            if (Ascii.EqualsIgnoreCase(hay.Slice(start, literal.Length), literal)) return start;
            pos += k + 1;
        }
        return -1;
    }

    private static bool IsLetter(byte b) => ByteFrequencies.IsAsciiLetter(b);
}
