using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace CrawlGrep.Core.Scanning;

/// <summary>
/// Text values one after another as UTF-8 in one pooled, growing array: the matches and contexts of a record's hits,
/// until they are copied out (<see cref="Written"/>) into arrays the hits keep. Only valid UTF-8 goes in.
/// </summary>
public sealed class TextArena : IDisposable
{
    private byte[] _bytes = ArrayPool<byte>.Shared.Rent(4096);

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => _bytes.AsSpan(0, Length);

    public void Clear() => Length = 0;

    /// <summary>
    /// Appends <paramref name="text"/> as valid UTF-8: as it is when it is, else decoded with U+FFFD in place of each
    /// invalid sequence, as <see cref="Encoding.UTF8"/> decodes it into a string. With <paramref name="lineBreaksToSpaces"/>,
    /// CR and LF become spaces (neither byte is ever part of a longer sequence, so this changes no other character).
    /// </summary>
    public Range AppendValid(ReadOnlySpan<byte> text, bool lineBreaksToSpaces)
    {
        int start = Length;
        if (Utf8.IsValid(text))
        {
            Reserve(text.Length);
            var into = _bytes.AsSpan(start, text.Length);
            text.CopyTo(into);
            if (lineBreaksToSpaces && into.IndexOfAny((byte)'\r', (byte)'\n') >= 0)
            {
                into.Replace((byte)'\r', (byte)' ');
                into.Replace((byte)'\n', (byte)' ');
            }
            Length += text.Length;
        }
        else
        {
            var repaired = Encoding.UTF8.GetString(text); // rare: a page that is not UTF-8
            if (lineBreaksToSpaces) repaired = repaired.Replace('\r', ' ').Replace('\n', ' ');
            Reserve(Encoding.UTF8.GetMaxByteCount(repaired.Length));
            Length += Encoding.UTF8.GetBytes(repaired, _bytes.AsSpan(start));
        }
        return start..Length;
    }

    private void Reserve(int more)
    {
        if (Length + more <= _bytes.Length) return;
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(Length + more, _bytes.Length * 2));
        Written.CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_bytes);
        _bytes = bigger;
    }

    public void Dispose()
    {
        if (_bytes.Length == 0) return;
        ArrayPool<byte>.Shared.Return(_bytes);
        _bytes = [];
        Length = 0;
    }
}
