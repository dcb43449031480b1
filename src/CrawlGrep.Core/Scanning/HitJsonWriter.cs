using System.Globalization;
using System.Text.Json;

namespace CrawlGrep.Core.Scanning;

/// <summary>Writes a hit's columns as the properties of a JSON object (the caller opens and closes it).</summary>
/// <param name="exactTimes">Timestamps to the tick (a partial result read back); else to the second, as printed.</param>
public sealed class HitJsonWriter(Utf8JsonWriter json, bool exactTimes = false) : IHitColumnWriter
{
    /// <summary>The columns' names encoded once: a name given as a string is checked and transcoded at every write.</summary>
    private static readonly Dictionary<string, JsonEncodedText> Names = HitColumns.All.ToDictionary(c => c.Name, c => JsonEncodedText.Encode(c.Name));

    private static JsonEncodedText Name(string name) => Names.TryGetValue(name, out var encoded) ? encoded : JsonEncodedText.Encode(name);

    public void Write(Hit hit) => HitColumns.Write(hit, this);

    /// <summary>The columns a record's hits share (<see cref="HitColumns.WriteRecord"/>).</summary>
    public void WriteRecord(Hit hit) => HitColumns.WriteRecord(hit, this);

    /// <summary>The columns of the hit itself (<see cref="HitColumns.WriteOwn"/>).</summary>
    public void WriteOwn(Hit hit) => HitColumns.WriteOwn(hit, this);

    public void String(string name, string? value)
    {
        if (value is null) json.WriteNull(Name(name)); else json.WriteString(Name(name), value);
    }

    public void Utf8(string name, ReadOnlySpan<byte> value) => json.WriteString(Name(name), value);

    public void Long(string name, long value) => json.WriteNumber(Name(name), value);

    public void Int(string name, int value) => json.WriteNumber(Name(name), value);

    public void Timestamp(string name, DateTime? value)
    {
        if (value is not DateTime d) { json.WriteNull(Name(name)); return; }
        Span<byte> text = stackalloc byte[64];
        if (d.TryFormat(text, out int n, exactTimes ? "O" : "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)) json.WriteString(Name(name), text[..n]);
        else json.WriteString(Name(name), exactTimes ? d.ToString("O", CultureInfo.InvariantCulture) : d.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }
}
