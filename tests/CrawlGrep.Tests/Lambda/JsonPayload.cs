using System.Text.Json;

namespace CrawlGrep.Tests.Lambda;

/// <summary>Whether a payload is one JSON document, as Lambda requires of an event.</summary>
internal static class JsonPayload
{
    /// <summary>Null when the payload is JSON; else the parser's reason.</summary>
    public static string? Problem(ReadOnlySpan<byte> payload)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            while (reader.Read()) { }
            return null;
        }
        catch (JsonException e)
        {
            return e.Message;
        }
    }
}
