using System.Buffers;

namespace CrawlGrep.Core.Matching.Prefilters;

/// <summary>
/// Searches for literals of one byte each: a search for any byte of a set, with .NET's vectorized
/// <see cref="SearchValues{T}"/>. With case ignored, a letter adds both of its cases to the set.
/// <see cref="Find"/> returns the leftmost start.
/// </summary>
public sealed class ByteSetSearcher : ILiteralSearcher
{
    private readonly SearchValues<byte> _values;
    private readonly int[][] _idsByByte; // literal ids matching each byte value (empty for most)

    public ByteSetSearcher(IReadOnlyList<byte[]> literals, bool ignoreAsciiCase)
    {
        ArgumentNullException.ThrowIfNull(literals);
        if (literals.Count == 0) throw new ArgumentException("At least one literal is required.", nameof(literals));
        var ids = new List<int>[256];
        var copies = new byte[literals.Count][];
        for (int id = 0; id < literals.Count; id++)
        {
            if (literals[id] is not { Length: 1 } lit) throw new ArgumentException($"Literal {id} is not one byte long.", nameof(literals));
            copies[id] = [lit[0]];
            byte b = lit[0];
            (ids[b] ??= []).Add(id);
            if (ignoreAsciiCase && ByteFrequencies.IsAsciiLetter(b)) (ids[b ^ 0x20] ??= []).Add(id);
        }
        Literals = copies;
        IgnoreAsciiCase = ignoreAsciiCase;
        _idsByByte = ids.Select(l => l?.ToArray() ?? []).ToArray();
        _values = SearchValues.Create(Enumerable.Range(0, 256).Where(b => ids[b] is not null).Select(b => (byte)b).ToArray());
    }

    public IReadOnlyList<byte[]> Literals { get; }

    public bool IgnoreAsciiCase { get; }

    public int Find(ReadOnlySpan<byte> haystack) => haystack.IndexOfAny(_values);

    public void FindAll(ReadOnlySpan<byte> haystack, List<LiteralHit> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        int pos = 0;
        while (pos < haystack.Length)
        {
            int k = haystack[pos..].IndexOfAny(_values);
            if (k < 0) return;
            pos += k;
            foreach (int id in _idsByByte[haystack[pos]]) output.Add(new LiteralHit(id, pos));
            pos++;
        }
    }
}
