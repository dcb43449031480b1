using System.Text;

namespace CrawlGrep.Core.Matching;

/// <summary>Vectorized byte searches used by the prefilters.</summary>
public static class ByteSearch
{
    // Rough frequency rank of bytes in web text: lower is rarer. Used to anchor case-insensitive searches.
    private static readonly byte[] Rank = BuildRank();

    private static byte[] BuildRank()
    {
        var r = new byte[256];
        Array.Fill(r, (byte)10);
        const string common = " etaoinsrhldcumfpgwybvk<>/=\"-.,:;_";
        for (int i = 0; i < common.Length; i++) r[common[i]] = (byte)(200 - i);
        for (char c = 'A'; c <= 'Z'; c++) r[c] = (byte)Math.Max(r[c], r[c | 0x20] / 2);
        return r;
    }

    /// <summary>First occurrence of ASCII <paramref name="literal"/> in <paramref name="hay"/>, ignoring ASCII case.</summary>
    public static int IndexOfIgnoreAsciiCase(ReadOnlySpan<byte> hay, ReadOnlySpan<byte> literal)
    {
        if (literal.IsEmpty) return 0;
        int anchor = 0;
        for (int i = 1; i < literal.Length; i++)
            if (Rank[literal[i] | (IsLetter(literal[i]) ? 0x20 : 0)] < Rank[literal[anchor] | (IsLetter(literal[anchor]) ? 0x20 : 0)]) anchor = i;
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

    private static bool IsLetter(byte b) => (uint)((b | 0x20) - 'a') <= 'z' - 'a';
}
