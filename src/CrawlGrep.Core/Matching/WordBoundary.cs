namespace CrawlGrep.Core.Matching;

/// <summary>What the bytes around a literal occurrence say about -w: <c>(?&lt;!\w)(?:literal)(?!\w)</c>.</summary>
public enum WordEdges
{
    /// <summary>No word character touches either end: the occurrence is a -w match.</summary>
    Bounded,
    /// <summary>A word character touches an end: not a -w match.</summary>
    Unbounded,
    /// <summary>A neighbour is not ASCII: whether it is a word character takes the regex (Unicode \w).</summary>
    Undecided,
}

/// <summary>
/// Decides -w for a literal occurrence from its two neighbour bytes, so a word list needs no regex per line.
/// ASCII neighbours (nearly all, in web text) are decided here: \w is [A-Za-z0-9_] in ASCII for .NET and ripgrep
/// alike. A non-ASCII neighbour would need its code point decoded and classified as Unicode \w is (letters, marks,
/// digits, connector punctuation), where the engines' tables differ by version; it is left to the regex.
/// </summary>
public static class WordBoundary
{
    /// <summary>The edges of <c>line[start..end]</c>; the line's own ends count as non-word.</summary>
    public static WordEdges Of(ReadOnlySpan<byte> line, int start, int end)
    {
        var before = Classify(line, start - 1);
        if (before == WordEdges.Unbounded) return before;
        var after = Classify(line, end);
        if (after == WordEdges.Unbounded) return after;
        return before == WordEdges.Undecided || after == WordEdges.Undecided ? WordEdges.Undecided : WordEdges.Bounded;
    }

    private static WordEdges Classify(ReadOnlySpan<byte> line, int at)
    {
        if ((uint)at >= (uint)line.Length) return WordEdges.Bounded;
        byte b = line[at];
        if (b >= 0x80) return WordEdges.Undecided;
        return IsAsciiWord[b] ? WordEdges.Unbounded : WordEdges.Bounded;
    }

    /// <summary>Whether an ASCII byte is a word character, [A-Za-z0-9_] (false for any byte from 0x80).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static bool IsAsciiWordByte(byte b) => b < 0x80 && IsAsciiWord[b];

    private static ReadOnlySpan<bool> IsAsciiWord => new bool[]
    {
        false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false,
        false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false,
        false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false,
        true,  true,  true,  true,  true,  true,  true,  true,  true,  true,  false, false, false, false, false, false, // 0-9
        false, true,  true,  true,  true,  true,  true,  true,  true,  true,  true,  true,  true,  true,  true,  true,  // A-O
        true,  true,  true,  true,  true,  true,  true,  true,  true,  true,  true,  false, false, false, false, true,  // P-Z, _
        false, true,  true,  true,  true,  true,  true,  true,  true,  true,  true,  true,  true,  true,  true,  true,  // a-o
        true,  true,  true,  true,  true,  true,  true,  true,  true,  true,  true,  false, false, false, false, false, // p-z
    };
}
