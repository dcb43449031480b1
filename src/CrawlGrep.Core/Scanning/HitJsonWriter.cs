using System.Globalization;
using System.Text.Json;

namespace CrawlGrep.Core.Scanning;

/// <summary>Writes a hit's columns as the properties of a JSON object (the caller opens and closes it).</summary>
/// <param name="exactTimes">Timestamps to the tick (a partial result read back); else to the second, as printed.</param>
public sealed class HitJsonWriter(Utf8JsonWriter json, bool exactTimes = false) : IHitColumnWriter
{
    public void Write(Hit hit) => HitColumns.Write(hit, this);

    /// <summary>The columns a record's hits share (<see cref="HitColumns.WriteRecord"/>).</summary>
    public void WriteRecord(Hit hit) => HitColumns.WriteRecord(hit, this);

    /// <summary>The columns of the hit itself (<see cref="HitColumns.WriteOwn"/>).</summary>
    public void WriteOwn(Hit hit) => HitColumns.WriteOwn(hit, this);

    public void String(string name, string? value)
    {
        if (value is null) json.WriteNull(name); else json.WriteString(name, value);
    }

    public void Utf8(string name, ReadOnlySpan<byte> value) => json.WriteString(name, value);

    public void Long(string name, long value) => json.WriteNumber(name, value);

    public void Int(string name, int value) => json.WriteNumber(name, value);

    public void Timestamp(string name, DateTime? value)
    {
        if (value is not DateTime d) { json.WriteNull(name); return; }
        Span<byte> text = stackalloc byte[64];
        if (d.TryFormat(text, out int n, exactTimes ? "O" : "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)) json.WriteString(name, text[..n]);
        else json.WriteString(name, exactTimes ? d.ToString("O", CultureInfo.InvariantCulture) : d.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }
}
