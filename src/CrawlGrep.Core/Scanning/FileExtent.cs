using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrawlGrep.Core.Scanning;

/// <summary>
/// <c>[Offset, Offset + Length)</c> of a file: a record a task owns, or a range it reads in one request. Written in
/// task JSON as a pair <c>[offset, length]</c>, so a task listing thousands of records stays small (Lambda's Event
/// payload is 1 MB).
/// </summary>
[JsonConverter(typeof(FileExtentJsonConverter))]
public readonly record struct FileExtent(long Offset, long Length)
{
    public long End => Offset + Length;

    public override string ToString() => $"[{Offset}, {End})";
}

/// <summary>Reads and writes a <see cref="FileExtent"/> as <c>[offset, length]</c> (no reflection: the worker is Native AOT).</summary>
public sealed class FileExtentJsonConverter : JsonConverter<FileExtent>
{
    public override FileExtent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("a byte range is an array [offset, length]");
        long offset = Number(ref reader), length = Number(ref reader);
        if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray) throw new JsonException("a byte range is an array [offset, length] of two numbers");
        return new FileExtent(offset, length);
    }

    private static long Number(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.Number) throw new JsonException("a byte range is an array [offset, length] of two numbers");
        return reader.GetInt64();
    }

    public override void Write(Utf8JsonWriter writer, FileExtent value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(value.Offset);
        writer.WriteNumberValue(value.Length);
        writer.WriteEndArray();
    }
}
