namespace CrawlGrep.Core.Planning.Index;

/// <summary>
/// The records a crawl's CDX server lists for a URL pattern, as an <see cref="IndexSelection"/>: sorted by file and
/// offset, each capture once (a page fetched again after a break adds nothing twice). Columns kept go by the
/// columnar index's names, so a query over kept columns reads the same whichever index chose the records.
/// </summary>
public static class CdxSelection
{
    private static readonly CdxRecord Sample = new() { Url = "https://a.example/", Length = 0, Offset = 0, Filename = "" };

    /// <summary>The columnar-index columns a CDX line gives (directly, or from its URL and timestamp).</summary>
    public static IReadOnlyList<string> Columns { get; } = ColumnarIndexSchema.Columns.Where(c => Value(c.Name, Sample) is not Missing).Select(c => c.Name).ToList();

    /// <summary>Pages through <paramref name="api"/>; a malformed line is a warning naming its page line, and the others count.</summary>
    public static IndexSelection Select(CdxApi api, string urlPattern, IReadOnlyList<string> filters, IReadOnlyList<string> keep, string dataRoot, Action<string> warn)
    {
        var kept = new List<IndexColumn>();
        foreach (string name in keep.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var column = ColumnarIndexSchema.Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
            if (column is null || !Columns.Contains(column.Name))
                throw new IndexException($"--keep-index-columns: a CDX server gives no column \"{name}\" (it gives: {string.Join(", ", Columns)})");
            kept.Add(column);
        }

        var seen = new HashSet<(string File, long Offset)>();
        var picked = new List<(SelectedRecord Record, object?[] Values)>();
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        long number = 0;
        foreach (string line in api.Lines(urlPattern, filters))
        {
            number++;
            if (!CdxLine.TryParse(line, number, out var record, out var error))
            {
                warn($"{api.Endpoint}: {error.Message}; the line is skipped");
                continue;
            }
            if (!seen.Add((record.Filename, record.Offset))) continue;
            if (!files.TryGetValue(record.Filename, out string? file)) files[record.Filename] = file = CrawlCatalog.Join(dataRoot, record.Filename);
            picked.Add((new SelectedRecord(file, record.Offset, record.Length), kept.Select(c => Value(c.Name, record) is var v && v is Missing ? null : v).ToArray()));
        }
        picked.Sort((a, b) => a.Record.File != b.Record.File ? string.CompareOrdinal(a.Record.File, b.Record.File) : a.Record.Offset.CompareTo(b.Record.Offset));
        return new IndexSelection(picked.Select(p => p.Record).ToList(), kept, kept.Count == 0 ? [] : picked.Select(p => p.Values).ToList())
        {
            Description = $"--cdx {urlPattern}",
        };
    }

    private sealed class Missing;

    /// <summary>A columnar column's value for a CDX capture; <see cref="Missing"/> when a CDX line cannot give it.</summary>
    private static object? Value(string column, CdxRecord r) => column switch
    {
        "url" => r.Url,
        "url_surtkey" => r.UrlKey ?? SurtKey.Of(r.Url),
        "url_host_name" => Url(r)?.HostName,
        "url_host_tld" => Url(r)?.Label(0),
        "url_host_registered_domain" => Url(r)?.RegisteredDomain,
        "url_path" => Url(r)?.Path,
        "url_query" => Url(r)?.Query,
        "url_protocol" => Url(r)?.Protocol,
        "fetch_time" => r.FetchTime,
        "fetch_status" => r.Status is int s ? (short)s : null,
        "fetch_redirect" => r.Redirect,
        "content_digest" => r.Digest,
        "content_mime_type" => r.Mime,
        "content_mime_detected" => r.MimeDetected,
        "content_charset" => r.Charset,
        "content_languages" => r.Languages,
        "content_truncated" => r.Truncated,
        "warc_filename" => r.Filename,
        "warc_record_offset" => (int)r.Offset,
        "warc_record_length" => (int)r.Length,
        _ => new Missing(),
    };

    private static IndexUrl? Url(CdxRecord r)
    {
        try { return IndexUrl.Parse(r.Url); }
        catch (FormatException) { return null; }
    }
}
