using System.Globalization;
using System.Text.Json;

namespace CrawlGrep.Core.Planning;

/// <summary>Reads Common Crawl's <c>collinfo.json</c>: a JSON array of crawls, newest first.</summary>
public static class CollinfoParser
{
    /// <summary>The crawls in <paramref name="json"/>. Throws <see cref="InvalidDataException"/> naming <paramref name="source"/> when it is not a crawl list.</summary>
    public static IReadOnlyList<CrawlInfo> Parse(ReadOnlyMemory<byte> json, string source)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException e) { throw Invalid(source, $"not JSON ({e.Message})"); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
                throw Invalid(source, $"expected a JSON array of crawls, found {Describe(doc.RootElement.ValueKind)}");
            var crawls = new List<CrawlInfo>(doc.RootElement.GetArrayLength());
            int index = 0;
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object) throw Invalid(source, $"item {index} is {Describe(item.ValueKind)}, not a crawl object");
                string? id = Text(item, "id");
                if (string.IsNullOrWhiteSpace(id)) throw Invalid(source, $"item {index} has no \"id\"");
                crawls.Add(new CrawlInfo(id.Trim(), Text(item, "name") ?? "", Time(item, "from"), Time(item, "to"), Text(item, "cdx-api"), Text(item, "timegate")));
                index++;
            }
            // Common Crawl lists the newest first; a mirror may not, and "latest" must not depend on it.
            return crawls.OrderByDescending(c => c.From ?? DateTime.MinValue).ToList();
        }
    }

    private static InvalidDataException Invalid(string source, string problem) => new($"{source}: not a Common Crawl collinfo.json: {problem}");

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    // collinfo's times carry no zone; they are UTC.
    private static DateTime? Time(JsonElement item, string name) =>
        Text(item, name) is { } s && DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t : null;
}
