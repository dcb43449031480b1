namespace CrawlGrep.Core.Matching.Prefilters;

/// <summary>
/// How common each byte is in web text (HTML, CC WET), roughly: searches anchor on the rarest bytes
/// of a literal so the vector loop stops as seldom as possible.
/// </summary>
public static class ByteFrequency
{
    private static readonly byte[] Rank = Build();

    private static byte[] Build()
    {
        var r = new byte[256];
        Array.Fill(r, (byte)20);            // other bytes: rare
        for (int b = 0x80; b < 0x100; b++) r[b] = 40; // UTF-8 bytes of non-English text
        const string common = " etaoinsrhldcumfpgwybvk<>/=\"-.,:;_\n0123456789xjqz";
        for (int i = 0; i < common.Length; i++) r[common[i]] = (byte)(250 - 4 * i);
        for (char c = 'A'; c <= 'Z'; c++) r[c] = (byte)(r[c | 0x20] / 3);
        return r;
    }

    /// <summary>Higher is more common.</summary>
    public static int Of(byte b) => Rank[b];

    /// <summary>Offsets of the two rarest bytes of <paramref name="literal"/> (the same one twice for one byte).</summary>
    public static (int, int) RarestPair(ReadOnlySpan<byte> literal)
    {
        int a = 0;
        for (int i = 1; i < literal.Length; i++) if (Rank[literal[i]] < Rank[literal[a]]) a = i;
        int b = a == 0 && literal.Length > 1 ? 1 : 0;
        for (int i = 0; i < literal.Length; i++) if (i != a && Rank[literal[i]] < Rank[literal[b]]) b = i;
        if (literal.Length == 1) b = a;
        return a < b ? (a, b) : (b, a);
    }
}
