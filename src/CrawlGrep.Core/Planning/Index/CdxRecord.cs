using System.Globalization;

namespace CrawlGrep.Core.Planning.Index;

/// <summary>
/// One capture as Common Crawl's CDX index lists it: a line of its <c>cdx-NNNNN.gz</c> files or of the CDX
/// server's answer (see <see cref="CdxLine"/>). CC writes every value as a JSON string; the numbers are parsed here.
/// </summary>
public sealed record CdxRecord
{
    /// <summary>The SURT key (<see cref="SurtKey"/>), e.g. <c>com,example)/path</c>; null when a JSON answer left it out.</summary>
    public string? UrlKey { get; init; }

    /// <summary>Capture time as CC writes it, <c>yyyyMMddHHmmss</c> in UTC; null when a JSON answer left it out.</summary>
    public string? Timestamp { get; init; }

    public required string Url { get; init; }

    /// <summary>The HTTP Content-Type's media type (<c>unk</c> when the response had none); <c>warc/revisit</c> for a revisit.</summary>
    public string? Mime { get; init; }

    /// <summary>The media type detected from the content (WARC-Identified-Payload-Type).</summary>
    public string? MimeDetected { get; init; }

    /// <summary>HTTP status; null when absent or <c>-</c>.</summary>
    public int? Status { get; init; }

    /// <summary>Base32 SHA-1 of the payload, without CC's WARC-header prefix <c>sha1:</c>.</summary>
    public string? Digest { get; init; }

    /// <summary>Compressed length of the record in <see cref="Filename"/>.</summary>
    public required long Length { get; init; }

    /// <summary>Compressed offset of the record in <see cref="Filename"/>.</summary>
    public required long Offset { get; init; }

    /// <summary>The WARC file, relative to the data root, e.g. <c>crawl-data/CC-MAIN-2024-22/segments/…/warc/….warc.gz</c>.</summary>
    public required string Filename { get; init; }

    /// <summary>Detected character set, e.g. <c>UTF-8</c> (CC's key <c>charset</c>, <c>encoding</c> in some answers).</summary>
    public string? Charset { get; init; }

    /// <summary>ISO 639-3 codes of the detected languages, comma-separated, e.g. <c>eng,spa</c>.</summary>
    public string? Languages { get; init; }

    /// <summary>Why the payload was cut (<c>length</c>, <c>time</c>, <c>disconnect</c>, <c>unspecified</c>); null when whole.</summary>
    public string? Truncated { get; init; }

    /// <summary>The redirect target of a 3xx response, absolute.</summary>
    public string? Redirect { get; init; }

    /// <summary><see cref="Timestamp"/> as a UTC time.</summary>
    public DateTime? FetchTime => Timestamp is null ? null
        : DateTime.ParseExact(Timestamp, CdxLine.TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    /// <summary>
    /// The record to read: <see cref="Filename"/> under <paramref name="root"/> (<c>s3://commoncrawl/</c>,
    /// <c>https://data.commoncrawl.org/</c> or a local mirror), named as a <c>--crawl</c> scan names its files.
    /// </summary>
    public SelectedRecord ToSelectedRecord(string root) => new(CrawlCatalog.Join(root, Filename), Offset, Length);
}
