namespace CrawlGrep.Core.Matching;

/// <summary>
/// How often each byte value occurs in web archives, in occurrences per million bytes (at least 1). Counted
/// over the genuine crawl excerpts among the project's real test archives (Common Crawl WARC records, wget
/// crawls, ClueWeb pages): WARC and HTTP headers, HTML, scripts and text in many languages. Searchers anchor on
/// the rarest bytes of a literal and weigh the cost of a fingerprint with it.
/// </summary>
internal static class ByteFrequencies
{
    private static ReadOnlySpan<int> PerMillion =>
    [
        1, 1, 1, 1, 1, 1, 1, 1, 1, 15340, 15779, 1, 1, 5012, 1, 1, // 0x00
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, // 0x10
        87125, 1117, 27150, 967, 48, 505, 1065, 2534, 2966, 2981, 1224, 484, 7841, 21021, 19848, 23736, // 0x20
        21728, 13991, 10313, 7104, 6010, 5795, 5213, 4412, 4537, 4791, 7329, 4712, 20901, 16816, 20959, 665, // 0x30
        188, 2517, 1567, 3350, 1689, 1621, 1804, 741, 1338, 1918, 610, 513, 1706, 2000, 1282, 1110, // 0x40
        1386, 493, 1772, 1733, 1997, 754, 676, 1226, 692, 775, 531, 507, 386, 507, 4, 4805, // 0x50
        5, 41577, 9556, 23509, 22312, 49127, 10898, 13482, 17705, 35925, 2249, 4576, 26555, 15488, 30661, 31307, // 0x60
        20810, 920, 33353, 33164, 45593, 11819, 7827, 8061, 3853, 6269, 1559, 2061, 120, 2016, 15, 1, // 0x70
        1721, 179, 140, 95, 116, 202, 99, 129, 171, 173, 124, 125, 289, 138, 124, 181, // 0x80
        680, 727, 52, 73, 114, 58, 88, 140, 81, 182, 206, 172, 268, 132, 50, 141, // 0x90
        129, 2117, 517, 719, 2458, 6292, 257, 204, 403, 120, 292, 274, 267, 178, 186, 429, // 0xA0
        661, 257, 395, 286, 245, 489, 191, 555, 698, 734, 549, 329, 1651, 396, 412, 588, // 0xB0
        248, 381, 299, 827, 295, 218, 456, 238, 471, 632, 616, 326, 369, 294, 400, 311, // 0xC0
        366, 176, 150, 174, 106, 85, 250, 203, 187, 37, 81, 166, 104, 279, 199, 73, // 0xD0
        582, 102, 548, 1483, 693, 1806, 889, 784, 953, 637, 457, 234, 309, 563, 602, 517, // 0xE0
        322, 392, 493, 602, 71, 83, 82, 149, 74, 48, 53, 126, 58, 42, 128, 63, // 0xF0
    ];

    /// <summary>Occurrences of <paramref name="b"/> per million bytes of web text.</summary>
    public static int Of(byte b) => PerMillion[b];

    /// <summary>Occurrences per million of the bytes that match <paramref name="b"/>: both cases of an ASCII letter when <paramref name="ignoreAsciiCase"/>.</summary>
    public static int Of(byte b, bool ignoreAsciiCase) =>
        ignoreAsciiCase && IsAsciiLetter(b) ? PerMillion[b | 0x20] + PerMillion[b & ~0x20] : PerMillion[b];

    public static bool IsAsciiLetter(byte b) => (uint)((b | 0x20) - 'a') <= 'z' - 'a';
}
