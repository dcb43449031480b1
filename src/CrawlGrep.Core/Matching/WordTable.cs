using System.Numerics;

namespace CrawlGrep.Core.Matching;

/// <summary>
/// A hash table of -w literals made only of ASCII word bytes ([A-Za-z0-9_]), looked up by whole word. Under -w such
/// a literal can match only where it is a whole run of ASCII word bytes, so a word list is matched by cutting lines
/// into those runs and looking each one up: a cost per word, not per literal occurrence (common words occur inside
/// other words every few bytes, which an automaton must report and the word check then throw away).
/// Immutable after construction and shared between threads.
/// </summary>
public sealed class WordTable
{
    private readonly bool _ignoreCase;
    private readonly int _mask;
    private readonly int[] _slots;          // group + 1, 0 when empty
    private readonly byte[][] _words;       // by group: the word (folded under -i)
    private readonly int[] _idStart, _ids;  // by group: the literal ids spelling it (several under -i: The, the)
    private readonly ulong _lengths;        // bit L set when some word has length L (63: 63 or longer)

    /// <summary>Whether a literal can go in the table: ASCII word bytes only.</summary>
    public static bool Accepts(ReadOnlySpan<byte> literal)
    {
        if (literal.IsEmpty) return false;
        foreach (byte b in literal)
            if (b >= 0x80 || !WordBoundary.IsAsciiWordByte(b)) return false;
        return true;
    }

    /// <param name="literals">The literals by id; all must be <see cref="Accepts">accepted</see>.</param>
    public WordTable(IReadOnlyList<byte[]> literals, bool ignoreAsciiCase)
    {
        _ignoreCase = ignoreAsciiCase;
        var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var order = new List<string>();
        for (int id = 0; id < literals.Count; id++)
        {
            string key = System.Text.Encoding.ASCII.GetString(Fold(literals[id]));
            if (!groups.TryGetValue(key, out var ids)) { groups[key] = ids = []; order.Add(key); }
            ids.Add(id);
        }
        _words = new byte[order.Count][];
        _idStart = new int[order.Count + 1];
        var all = new List<int>();
        int size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, order.Count * 2));
        _mask = size - 1;
        _slots = new int[size];
        for (int g = 0; g < order.Count; g++)
        {
            _words[g] = System.Text.Encoding.ASCII.GetBytes(order[g]);
            _idStart[g] = all.Count;
            all.AddRange(groups[order[g]]);
            _lengths |= 1UL << Math.Min(_words[g].Length, 63);
            int slot = (int)Hash(_words[g], fold: false) & _mask;
            while (_slots[slot] != 0) slot = (slot + 1) & _mask;
            _slots[slot] = g + 1;
        }
        _idStart[order.Count] = all.Count;
        _ids = all.ToArray();
    }

    private byte[] Fold(byte[] literal)
    {
        var folded = (byte[])literal.Clone();
        if (_ignoreCase) for (int i = 0; i < folded.Length; i++) folded[i] |= 0x20;
        return folded;
    }

    /// <summary>The ids of the literals equal to <paramref name="word"/> (a run of ASCII word bytes); empty when none.</summary>
    public ReadOnlySpan<int> Lookup(ReadOnlySpan<byte> word)
    {
        if ((_lengths & (1UL << Math.Min(word.Length, 63))) == 0) return default;
        int slot = (int)Hash(word, _ignoreCase) & _mask;
        while (true)
        {
            int g = _slots[slot] - 1;
            if (g < 0) return default;
            if (Equal(_words[g], word)) return _ids.AsSpan(_idStart[g], _idStart[g + 1] - _idStart[g]);
            slot = (slot + 1) & _mask;
        }
    }

    private bool Equal(byte[] stored, ReadOnlySpan<byte> word)
    {
        if (stored.Length != word.Length) return false;
        if (!_ignoreCase) return word.SequenceEqual(stored);
        // For word bytes, OR 0x20 folds A-Z to a-z and changes no other byte into a word byte.
        for (int i = 0; i < word.Length; i++)
            if ((word[i] | 0x20) != stored[i]) return false;
        return true;
    }

    /// <summary>FNV-1a over the (folded) bytes, then mixed so the low bits index well.</summary>
    private static uint Hash(ReadOnlySpan<byte> word, bool fold)
    {
        uint h = 2166136261;
        byte or = fold ? (byte)0x20 : (byte)0;
        foreach (byte b in word) h = (h ^ (uint)(b | or)) * 16777619;
        return h ^ (h >> 15);
    }
}
