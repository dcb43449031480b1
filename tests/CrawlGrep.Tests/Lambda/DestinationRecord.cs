using System.Text;
using System.Text.Json;

namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// The invocation record Lambda sends to an asynchronous invocation's on-failure destination when its retries are
/// exhausted: version 1.0, when, which request and function, how many attempts, the event, and the last attempt's
/// answer (status 200, the function error and its payload).
/// </summary>
internal static class DestinationRecord
{
    public static JsonElement RetriesExhausted(QueuedEvent queued, InvocationOutcome last, string functionArn, DateTimeOffset now)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("version", "1.0");
            json.WriteString("timestamp", now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteStartObject("requestContext");
            json.WriteString("requestId", queued.RequestId);
            json.WriteString("functionArn", functionArn);
            json.WriteString("condition", "RetriesExhausted");
            json.WriteNumber("approximateInvokeCount", queued.Attempts);
            json.WriteEndObject();
            json.WritePropertyName("requestPayload");
            WriteDocument(json, queued.Payload);
            json.WriteStartObject("responseContext");
            json.WriteNumber("statusCode", 200);
            json.WriteString("executedVersion", "$LATEST");
            json.WriteString("functionError", "Unhandled");
            json.WriteEndObject();
            json.WritePropertyName("responsePayload");
            WriteDocument(json, last.Payload);
            json.WriteEndObject();
        }
        using var document = JsonDocument.Parse(buffer.ToArray());
        return document.RootElement.Clone();
    }

    /// <summary>A payload as the JSON it is; one that is not JSON (a worker may post any bytes as its error) as a string.</summary>
    private static void WriteDocument(Utf8JsonWriter json, byte[] payload)
    {
        if (payload.Length == 0) json.WriteNullValue();
        else if (JsonPayload.Problem(payload) is null) json.WriteRawValue(payload);
        else json.WriteStringValue(Encoding.UTF8.GetString(payload));
    }
}
