using System.Buffers;
using System.Globalization;
using System.Text;

namespace CrawlGrep.Core.Warc;

/// <summary>
/// The parsed header of one WARC record. Reused from record to record: field bytes live in a
/// private buffer and strings are made only when asked for (on a hit, or for a filter).
/// </summary>
public sealed class WarcHeader
{
    private byte[] _bytes = new byte[4096];
    private int _used;
    private (int NameStart, int NameLen, int ValueStart, int ValueLen)[] _fields = new (int, int, int, int)[32];
    private int _count;
    private string? _typeName, _targetUri, _recordId;
    private DateTime? _date;
    private bool _dateParsed;

    public string Version { get; private set; } = "";
    public WarcRecordType Type { get; private set; }
    /// <summary>Content-Length as declared, or null when missing or not a number.</summary>
    public long? ContentLength { get; private set; }
    public int FieldCount => _count;
    /// <summary>True when the header did not end with an empty line before the data ran out.</summary>
    public bool Incomplete { get; internal set; }
    /// <summary>Lines that were neither a field nor a continuation.</summary>
    public int MalformedLines { get; private set; }

    /// <summary>Parses header lines (after the version line) from <paramref name="head"/>. LF-only lines, folded and UTF-8 fields are accepted.</summary>
    internal void Parse(ReadOnlySpan<byte> versionLine, ReadOnlySpan<byte> head)
    {
        _used = 0; _count = 0; MalformedLines = 0;
        _typeName = _targetUri = _recordId = null;
        _dateParsed = false; _date = null;
        Incomplete = false;
        Version = versionLine.Length <= 5 ? "" : VersionString(versionLine[5..].Trim("\r\n\t "u8));
        if (_bytes.Length < head.Length) _bytes = new byte[Math.Max(head.Length, _bytes.Length * 2)];

        while (!head.IsEmpty)
        {
            int nl = head.IndexOf((byte)'\n');
            var line = nl < 0 ? head : head[..nl];
            head = nl < 0 ? default : head[(nl + 1)..];
            line = line.TrimEnd((byte)'\r'); // CR CR LF endings occur in real files
            if (line.IsEmpty) continue;
            if (line[0] is (byte)' ' or (byte)'\t')
            {
                if (_count == 0) { MalformedLines++; continue; }
                // Folded continuation: join to the previous value with one space.
                var more = FieldText.TrimBlanks(line);
                ref var f = ref _fields[_count - 1];
                if (f.ValueStart + f.ValueLen != _used) { MalformedLines++; continue; }
                if (f.ValueLen > 0) _bytes[_used++] = (byte)' ';
                more.CopyTo(_bytes.AsSpan(_used));
                _used += more.Length;
                f.ValueLen = _used - f.ValueStart;
                continue;
            }
            int colon = line.IndexOf((byte)':');
            if (colon <= 0) { MalformedLines++; continue; }
            var name = FieldText.TrimBlanks(line[..colon]);
            var value = FieldText.TrimBlanks(line[(colon + 1)..]);
            if (_count == _fields.Length) Array.Resize(ref _fields, _count * 2);
            name.CopyTo(_bytes.AsSpan(_used));
            int ns = _used; _used += name.Length;
            value.CopyTo(_bytes.AsSpan(_used));
            _fields[_count++] = (ns, name.Length, _used, value.Length);
            _used += value.Length;
        }

        Type = WarcRecordTypes.Parse(Get("WARC-Type"u8));
        var cl = Get("Content-Length"u8);
        ContentLength = long.TryParse(cl, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : null;
    }

    private static string VersionString(ReadOnlySpan<byte> v) => v switch
    {
        _ when v.SequenceEqual("1.0"u8) => "1.0",
        _ when v.SequenceEqual("1.1"u8) => "1.1",
        _ => Encoding.UTF8.GetString(v),
    };

    /// <summary>The value of the first field named <paramref name="name"/> (ASCII case-insensitive), or empty.</summary>
    public ReadOnlySpan<byte> Get(ReadOnlySpan<byte> name)
    {
        for (int i = 0; i < _count; i++)
        {
            var f = _fields[i];
            if (f.NameLen == name.Length && Ascii.EqualsIgnoreCase(_bytes.AsSpan(f.NameStart, f.NameLen), name))
                return _bytes.AsSpan(f.ValueStart, f.ValueLen);
        }
        return default;
    }

    public bool Has(ReadOnlySpan<byte> name)
    {
        for (int i = 0; i < _count; i++)
        {
            var f = _fields[i];
            if (f.NameLen == name.Length && Ascii.EqualsIgnoreCase(_bytes.AsSpan(f.NameStart, f.NameLen), name)) return true;
        }
        return false;
    }

    public string? GetString(ReadOnlySpan<byte> name) => Has(name) ? Encoding.UTF8.GetString(Get(name)) : null;

    public IEnumerable<KeyValuePair<string, string>> Fields()
    {
        for (int i = 0; i < _count; i++)
        {
            var f = _fields[i];
            yield return new(Encoding.UTF8.GetString(_bytes, f.NameStart, f.NameLen), Encoding.UTF8.GetString(_bytes, f.ValueStart, f.ValueLen));
        }
    }

    /// <summary>The WARC-Type as written (lower-cased for known types).</summary>
    public string TypeName => _typeName ??= Type is WarcRecordType.Other ? Encoding.UTF8.GetString(Get("WARC-Type"u8)) : WarcRecordTypes.Name(Type);

    /// <summary>WARC-Target-URI without the &lt;...&gt; some writers (wget 1.20) put around it.</summary>
    public string? TargetUri => _targetUri ??= StripAngles(Get("WARC-Target-URI"u8)) is { IsEmpty: false } u ? Encoding.UTF8.GetString(u) : null;

    public string? RecordId => _recordId ??= GetString("WARC-Record-ID"u8);

    /// <summary>WARC-Date; tolerant of missing seconds or zone, null when unreadable.</summary>
    public DateTime? Date
    {
        get
        {
            if (_dateParsed) return _date;
            _dateParsed = true;
            return _date = WarcDate.Parse(Get("WARC-Date"u8));
        }
    }

    internal static ReadOnlySpan<byte> StripAngles(ReadOnlySpan<byte> v) =>
        v.Length >= 2 && v[0] == '<' && v[^1] == '>' ? FieldText.TrimBlanks(v[1..^1]) : v;
}
