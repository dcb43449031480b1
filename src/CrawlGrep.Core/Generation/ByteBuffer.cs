using System.Buffers;
using System.Globalization;
using System.Text;

namespace CrawlGrep.Core.Generation;

/// <summary>A growable byte buffer that is cleared and reused instead of reallocated.</summary>
internal sealed class ByteBuffer : IBufferWriter<byte>
{
    private byte[] _buffer;
    private int _length;

    public ByteBuffer(int capacity = 4096) => _buffer = new byte[Math.Max(16, capacity)];

    public int Length => _length;
    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, _length);
    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, _length);
    public byte[] RawBuffer => _buffer;

    public void Clear() => _length = 0;

    public void Append(byte b)
    {
        if (_length == _buffer.Length) Grow(1);
        _buffer[_length++] = b;
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_length + bytes.Length > _buffer.Length) Grow(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>Appends a string as UTF-8.</summary>
    public void Append(string s)
    {
        int max = Encoding.UTF8.GetMaxByteCount(s.Length);
        if (_length + max > _buffer.Length) Grow(max);
        _length += Encoding.UTF8.GetBytes(s, _buffer.AsSpan(_length));
    }

    public void Append(long value)
    {
        if (_length + 20 > _buffer.Length) Grow(20);
        value.TryFormat(_buffer.AsSpan(_length), out int written, default, CultureInfo.InvariantCulture);
        _length += written;
    }

    /// <summary>Appends a non-negative number padded with zeros to <paramref name="digits"/> digits.</summary>
    public void AppendPadded(int value, int digits)
    {
        if (_length + digits + 10 > _buffer.Length) Grow(digits + 10);
        string format = digits switch { 2 => "D2", 3 => "D3", 4 => "D4", _ => "D" + digits.ToString(CultureInfo.InvariantCulture) };
        value.TryFormat(_buffer.AsSpan(_length), out int written, format, CultureInfo.InvariantCulture);
        _length += written;
    }

    public void CrLf()
    {
        if (_length + 2 > _buffer.Length) Grow(2);
        _buffer[_length++] = (byte)'\r';
        _buffer[_length++] = (byte)'\n';
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        if (sizeHint < 1) sizeHint = 256;
        if (_length + sizeHint > _buffer.Length) Grow(sizeHint);
        return _buffer.AsSpan(_length);
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        if (sizeHint < 1) sizeHint = 256;
        if (_length + sizeHint > _buffer.Length) Grow(sizeHint);
        return _buffer.AsMemory(_length);
    }

    public void Advance(int count)
    {
        if (count < 0 || _length + count > _buffer.Length) throw new ArgumentOutOfRangeException(nameof(count));
        _length += count;
    }

    private void Grow(int needed)
    {
        int size = Math.Max(_buffer.Length * 2, _length + needed);
        Array.Resize(ref _buffer, size);
    }
}
