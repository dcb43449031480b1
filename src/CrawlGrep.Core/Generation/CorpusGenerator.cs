using System.Globalization;
using System.Text;
using CrawlGrep.Core.Planning.Index;
using ZstdSharp;

namespace CrawlGrep.Core.Generation;

/// <summary>
/// Generates a Common Crawl shaped segment: a WARC (warcinfo, then request, response and metadata records per
/// page), the WET (text of the HTML pages in <c>conversion</c> records) and the WAT (a JSON <c>metadata</c>
/// record per WARC record), named like CC's files. Deterministic: the same <see cref="CorpusOptions"/> give
/// byte-identical files, whatever the time, culture or platform (gzip bytes come from the zlib that ships with
/// the .NET runtime, so a runtime with another zlib build could compress differently). Streams page by page, so
/// memory stays small whatever the target size (but for <see cref="CorpusOptions.Captures"/>, some 25 MB per GiB
/// of WARC); WET and WAT compression run on threads of their own.
/// Speed (2 cores, all three files, gzip level 6): about 30 MiB of WARC per second, ~55 MB/s of output
/// before compression; gzip level 1 about 20% faster overall.
/// </summary>
public sealed class CorpusGenerator
{
    /// <summary>The crawl the generated files claim to belong to (warcinfo <c>isPartOf</c>).</summary>
    public const string Crawl = "CC-MAIN-2024-22";

    /// <summary>Common Crawl file name stem of the generated segment's files, before their 5-digit number.</summary>
    public const string FileStemPrefix = "CC-MAIN-20240517233122-20240518023122-";

    /// <summary>The highest <see cref="CorpusOptions.FileNumber"/>: CC numbers a segment's files with 5 digits.</summary>
    public const int MaxFileNumber = 99_999;

    /// <summary>The segment Common Crawl filed the file of this stem under (its index's <c>warc_segment</c>).</summary>
    public const string Segment = "1715971057216.39";

    private static readonly DateTime CrawlStart = new(2024, 5, 17, 23, 31, 22, DateTimeKind.Utc);
    private static readonly DateTime ExtractionStart = new(2024, 5, 31, 1, 16, 45, DateTimeKind.Utc);
    private const long TrainingBytes = 2L * 1024 * 1024;
    private const long ProgressStep = 8L * 1024 * 1024;

    public CorpusGenerator(CorpusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.TargetSize < 0) throw new ArgumentOutOfRangeException(nameof(options), "TargetSize must not be negative");
        if (options.Kinds == CorpusKinds.None || (options.Kinds & ~CorpusKinds.All) != 0)
            throw new ArgumentOutOfRangeException(nameof(options), "Kinds must name at least one of warc, wet, wat");
        if (options.FileNumber is < 0 or > MaxFileNumber)
            throw new ArgumentOutOfRangeException(nameof(options), $"FileNumber must be 0-{MaxFileNumber}");
        if (options.GzipLevel is < 0 or > 9) throw new ArgumentOutOfRangeException(nameof(options), "GzipLevel must be 0-9");
        if (options.ZstdLevel < 1 || options.ZstdLevel > Compressor.MaxCompressionLevel)
            throw new ArgumentOutOfRangeException(nameof(options), "ZstdLevel out of range");
        Options = options;
    }

    public CorpusOptions Options { get; }

    /// <summary>CC style name of file <paramref name="number"/>, e.g. <c>CC-MAIN-20240517233122-20240518023122-00000.warc.wet.gz</c>.</summary>
    public static string FileName(CorpusKinds kind, WarcCompression compression, int number = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(number, MaxFileNumber);
        string stem = FileStemPrefix + number.ToString("D5", CultureInfo.InvariantCulture) + kind switch
        {
            CorpusKinds.Warc => ".warc",
            CorpusKinds.Wet => ".warc.wet",
            CorpusKinds.Wat => ".warc.wat",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), "one kind at a time"),
        };
        return stem + compression switch
        {
            WarcCompression.Gzip or WarcCompression.GzipWhole => ".gz",
            WarcCompression.Zstd => ".zst",
            _ => "",
        };
    }

    /// <summary>Writes the files of <see cref="CorpusOptions.Kinds"/> into <paramref name="directory"/> (created if needed).</summary>
    /// <param name="progress">Receives the uncompressed WARC bytes generated so far, every few MB.</param>
    public CorpusResult Generate(string directory, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        var kinds = new[] { CorpusKinds.Warc, CorpusKinds.Wet, CorpusKinds.Wat };
        var paths = new string?[3];
        var streams = new FileStream?[3];
        bool ok = false;
        try
        {
            for (int i = 0; i < 3; i++)
            {
                if ((Options.Kinds & kinds[i]) == 0) continue;
                paths[i] = Path.Combine(directory, FileName(kinds[i], Options.Compression, Options.FileNumber));
                streams[i] = new FileStream(paths[i]!, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20);
            }
            var result = Generate(streams[0], streams[1], streams[2], progress, cancellationToken);
            for (int i = 0; i < 3; i++) streams[i]?.Flush(flushToDisk: false);
            ok = true;
            var files = result.Files.Select(f => f with { Path = paths[Array.IndexOf(kinds, f.Kind)] }).ToArray();
            return result with { Files = files };
        }
        finally
        {
            foreach (var s in streams) s?.Dispose();
            if (!ok)
                foreach (var p in paths)
                    if (p is not null) File.Delete(p);
        }
    }

    /// <summary>
    /// Writes the WARC, WET and WAT to the given streams (each may be null: that file is not written).
    /// <see cref="CorpusOptions.Kinds"/> is not consulted. The streams are left open.
    /// </summary>
    public CorpusResult Generate(Stream? warc, Stream? wet, Stream? wat, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        if (warc is null && wet is null && wat is null) throw new ArgumentException("no output stream given");
        byte[]?[] dictionaries = Options.Compression == WarcCompression.Zstd && Options.ZstdDictionary
            ? TrainDictionaries(cancellationToken)
            : new byte[]?[3];
        return Run(warc, wet, wat, Options.Compression, dictionaries, Options.TargetSize, progress, cancellationToken);
    }

    /// <summary>
    /// Trains one dictionary per kind on the first pages of this very corpus (a plain, in-memory run of the same
    /// seed), as a real writer would train on a sample of its records.
    /// </summary>
    private byte[]?[] TrainDictionaries(CancellationToken cancellationToken)
    {
        var buffers = new[] { new MemoryStream(), new MemoryStream(), new MemoryStream() };
        var result = Run(buffers[0], buffers[1], buffers[2], WarcCompression.Plain, new byte[]?[3],
            Math.Min(Options.TargetSize, TrainingBytes), null, cancellationToken);
        var dictionaries = new byte[]?[3];
        for (int i = 0; i < 3; i++)
        {
            byte[] data = buffers[i].GetBuffer();
            var samples = result.Files[i].Index.Skip(1) // not the warcinfo record
                .Select(r => data.AsSpan((int)r.Offset, (int)r.Length).ToArray()).ToList();
            long total = samples.Sum(s => (long)s.Length);
            int capacity = (int)Math.Clamp(total / 16, 4 * 1024, 110 * 1024);
            try
            {
                dictionaries[i] = samples.Count >= 8 ? WarcZstdDictionary.Train(samples, capacity) : null;
            }
            catch (ZstdException)
            {
                dictionaries[i] = null; // too little to train on: plain frames
            }
        }
        return dictionaries;
    }

    private static int DeriveSeed(int seed, int stream) =>
        unchecked((int)(((uint)seed * 2654435761u) ^ ((uint)stream * 0x9E3779B9u) ^ 0x5bd1e995u));

    private static string WarcDate(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string NewRecordId(Random rng)
    {
        Span<byte> b = stackalloc byte[16];
        rng.NextBytes(b);
        b[6] = (byte)((b[6] & 0x0F) | 0x40);
        b[8] = (byte)((b[8] & 0x3F) | 0x80);
        string hex = Convert.ToHexStringLower(b);
        return $"<urn:uuid:{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}>";
    }

    private static void AppendFields(ByteBuffer block, IReadOnlyList<KeyValuePair<string, string>> fields)
    {
        foreach (var (name, value) in fields)
        {
            block.Append(name);
            block.Append(": "u8);
            block.Append(value);
            block.CrLf();
        }
    }

    private CorpusResult Run(Stream? warcOut, Stream? wetOut, Stream? watOut, WarcCompression compression,
        byte[]?[] dictionaries, long targetSize, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        int level = compression == WarcCompression.Zstd ? Options.ZstdLevel : Options.GzipLevel;
        var rng = new Random(Options.Seed);
        var wetRng = new Random(DeriveSeed(Options.Seed, 2));
        var watRng = new Random(DeriveSeed(Options.Seed, 3));
        var pages = new PageGenerator(rng, CrawlStart);

        string warcName = FileName(CorpusKinds.Warc, compression, Options.FileNumber);
        string wetName = FileName(CorpusKinds.Wet, compression, Options.FileNumber);
        string watName = FileName(CorpusKinds.Wat, compression, Options.FileNumber);

        // The WARC is always serialized, written or not: the size target counts its bytes and WAT records
        // point into it (so a WAT is the same whether or not its WARC is written alongside).
        var warc = new WarcRecordWriter(warcOut ?? Stream.Null, warcOut is null && watOut is null ? WarcCompression.Plain : compression,
            level, dictionaries[0], leaveOpen: true);
        // WET and WAT records are compressed on threads of their own, overlapping with generation.
        var wet = wetOut is null ? null : new BackgroundRecordWriter(new WarcRecordWriter(wetOut, compression, level, dictionaries[1], leaveOpen: true), "wet writer");
        var wat = watOut is null ? null : new BackgroundRecordWriter(new WarcRecordWriter(watOut, compression, level, dictionaries[2], leaveOpen: true), "wat writer");
        var warcIndex = new List<WrittenRecord>();
        var captures = new List<CdxRecord>();
        var watJson = new WatJson(warcName, compression);

        var fields = new List<KeyValuePair<string, string>>(16);
        var watFields = new List<KeyValuePair<string, string>>(10);
        var blockFields = new List<KeyValuePair<string, string>>(12);
        var block = new ByteBuffer(128 * 1024);
        var page = new GeneratedPage();
        DateTime extractClock = ExtractionStart;
        int pageCount = 0, htmlPages = 0;
        long nextProgress = ProgressStep;

        try
        {
            // ---- warcinfo records
            string warcinfoId = NewRecordId(rng);
            blockFields.Clear();
            blockFields.Add(new("isPartOf", Crawl));
            blockFields.Add(new("publisher", "Common Crawl"));
            blockFields.Add(new("description", "Wide crawl of the web for May 2024"));
            blockFields.Add(new("operator", "Common Crawl Admin (info@commoncrawl.org)"));
            blockFields.Add(new("hostname", $"ip-10-67-{rng.Next(1, 255)}-{rng.Next(1, 255)}"));
            blockFields.Add(new("software", "Apache Nutch 1.19 (modified, https://github.com/commoncrawl/nutch/)"));
            blockFields.Add(new("robots", "checked via crawler-commons 1.5-SNAPSHOT (https://github.com/crawler-commons/crawler-commons)"));
            blockFields.Add(new("format", "WARC File Format 1.1"));
            blockFields.Add(new("conformsTo", "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"));
            block.Clear();
            AppendFields(block, blockFields);
            string digest = WarcDigest.Sha1(block.Span);
            fields.Clear();
            fields.Add(new("WARC-Type", "warcinfo"));
            fields.Add(new("WARC-Date", WarcDate(CrawlStart)));
            fields.Add(new("WARC-Record-ID", warcinfoId));
            fields.Add(new("Content-Length", block.Length.ToString(CultureInfo.InvariantCulture)));
            fields.Add(new("Content-Type", "application/warc-fields"));
            fields.Add(new("WARC-Filename", warcName));
            fields.Add(new("WARC-Block-Digest", digest));
            var written = warc.Write(fields, block.Span);
            warcIndex.Add(written);
            if (wat is not null)
            {
                WriteWatWarcinfo(wat, watRng, watName, extractClock);
                var json = watJson.WarcFields(written, "WARC-Info-Metadata", blockFields, digest, fields);
                WriteWat(wat, watRng, watFields, ref extractClock, warcName, warcinfoId, json);
            }
            if (wet is not null)
            {
                WriteWetWarcinfo(wet, wetRng, wetName);
            }

            // ---- pages
            do
            {
                cancellationToken.ThrowIfCancellationRequested();
                pages.Next(page);
                pageCount++;
                string date = WarcDate(page.Date);
                string requestId = NewRecordId(rng);
                string responseId = NewRecordId(rng);
                string metadataId = NewRecordId(rng);

                // request
                block.Clear();
                block.Append("GET ");
                block.Append(page.PathAndQuery);
                block.Append(" HTTP/1.1\r\n");
                AppendFields(block, page.RequestHeaders);
                int requestHeadersLength = block.Length;
                block.CrLf();
                digest = WarcDigest.Sha1(block.Span);
                fields.Clear();
                fields.Add(new("WARC-Type", "request"));
                fields.Add(new("WARC-Date", date));
                fields.Add(new("WARC-Record-ID", requestId));
                fields.Add(new("Content-Length", block.Length.ToString(CultureInfo.InvariantCulture)));
                fields.Add(new("Content-Type", "application/http; msgtype=request"));
                fields.Add(new("WARC-Warcinfo-ID", warcinfoId));
                fields.Add(new("WARC-IP-Address", page.Host.Ip));
                fields.Add(new("WARC-Target-URI", page.Url));
                fields.Add(new("WARC-Payload-Digest", WarcDigest.EmptySha1));
                fields.Add(new("WARC-Block-Digest", digest));
                written = warc.Write(fields, block.Span);
                warcIndex.Add(written);
                if (wat is not null)
                    WriteWat(wat, watRng, watFields, ref extractClock, page.Url, requestId,
                        watJson.Request(written, page, requestHeadersLength, digest, fields));

                // response
                block.Clear();
                block.Append("HTTP/1.1 ");
                block.Append(page.Status);
                block.Append((byte)' ');
                block.Append(page.Reason);
                block.CrLf();
                AppendFields(block, page.ResponseHeaders);
                int responseHeadersLength = block.Length;
                block.CrLf();
                block.Append(page.Body.Span);
                string payloadDigest = WarcDigest.Sha1(page.Body.Span);
                digest = WarcDigest.Sha1(block.Span);
                fields.Clear();
                fields.Add(new("WARC-Type", "response"));
                fields.Add(new("WARC-Date", date));
                fields.Add(new("WARC-Record-ID", responseId));
                fields.Add(new("Content-Length", block.Length.ToString(CultureInfo.InvariantCulture)));
                fields.Add(new("Content-Type", "application/http; msgtype=response"));
                fields.Add(new("WARC-Warcinfo-ID", warcinfoId));
                fields.Add(new("WARC-Concurrent-To", requestId));
                fields.Add(new("WARC-IP-Address", page.Host.Ip));
                fields.Add(new("WARC-Target-URI", page.Url));
                fields.Add(new("WARC-Payload-Digest", payloadDigest));
                fields.Add(new("WARC-Block-Digest", digest));
                fields.Add(new("WARC-Identified-Payload-Type", page.MimeType));
                written = warc.Write(fields, block.Span);
                warcIndex.Add(written);
                if (warcOut is not null && Options.Captures) captures.Add(PageCapture.Cdx(page, written, payloadDigest, warcName));
                if (wat is not null)
                    WriteWat(wat, watRng, watFields, ref extractClock, page.Url, responseId,
                        watJson.Response(written, page, responseHeadersLength, payloadDigest, digest, fields));

                // metadata
                blockFields.Clear();
                blockFields.Add(new("fetchTimeMs", page.FetchTimeMs.ToString(CultureInfo.InvariantCulture)));
                if (page.Kind == PageKind.Html)
                {
                    blockFields.Add(new("charset-detected", "UTF-8"));
                    blockFields.Add(new("languages-cld2", LanguagesJson(page)));
                }
                block.Clear();
                AppendFields(block, blockFields);
                block.CrLf();
                digest = WarcDigest.Sha1(block.Span);
                fields.Clear();
                fields.Add(new("WARC-Type", "metadata"));
                fields.Add(new("WARC-Date", date));
                fields.Add(new("WARC-Record-ID", metadataId));
                fields.Add(new("Content-Length", block.Length.ToString(CultureInfo.InvariantCulture)));
                fields.Add(new("Content-Type", "application/warc-fields"));
                fields.Add(new("WARC-Warcinfo-ID", warcinfoId));
                fields.Add(new("WARC-Concurrent-To", responseId));
                fields.Add(new("WARC-Target-URI", page.Url));
                fields.Add(new("WARC-Payload-Digest", digest));
                fields.Add(new("WARC-Block-Digest", digest));
                written = warc.Write(fields, block.Span);
                warcIndex.Add(written);
                if (wat is not null)
                    WriteWat(wat, watRng, watFields, ref extractClock, page.Url, metadataId,
                        watJson.WarcFields(written, "WARC-Metadata-Metadata", blockFields, digest, fields));

                // WET conversion of HTML pages
                if (page.Kind == PageKind.Html)
                {
                    htmlPages++;
                    if (wet is not null)
                    {
                        digest = WarcDigest.Sha1(page.Text.Span);
                        fields.Clear();
                        fields.Add(new("WARC-Type", "conversion"));
                        fields.Add(new("WARC-Target-URI", page.Url));
                        fields.Add(new("WARC-Date", date));
                        fields.Add(new("WARC-Record-ID", NewRecordId(wetRng)));
                        fields.Add(new("WARC-Refers-To", responseId));
                        fields.Add(new("WARC-Block-Digest", digest));
                        fields.Add(new("WARC-Identified-Content-Language", page.LanguageCodes));
                        fields.Add(new("Content-Type", "text/plain"));
                        fields.Add(new("Content-Length", page.Text.Length.ToString(CultureInfo.InvariantCulture)));
                        fields.Add(new("WARC-Payload-Digest", digest));
                        wet.Write(fields, page.Text.Span);
                    }
                }

                if (progress is not null && warc.UncompressedPosition >= nextProgress)
                {
                    progress.Report(warc.UncompressedPosition);
                    nextProgress = warc.UncompressedPosition + ProgressStep;
                }
            } while (warc.UncompressedPosition < targetSize);

            progress?.Report(warc.UncompressedPosition);
            warc.Dispose();
            wet?.Complete();
            wat?.Complete();

            var files = new List<GeneratedFile>(3);
            if (warcOut is not null) files.Add(new GeneratedFile(CorpusKinds.Warc, warcName, null, warc.Position, warc.UncompressedPosition, warc.RecordCount, warcIndex));
            if (wet is not null) files.Add(Describe(CorpusKinds.Wet, wetName, wet));
            if (wat is not null) files.Add(Describe(CorpusKinds.Wat, watName, wat));
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            for (int i = 0; i < PlantedTokens.Keys.Count; i++) counts[PlantedTokens.Keys[i]] = pages.PlantedCounts[i];
            return new CorpusResult(files, pageCount, htmlPages, warc.UncompressedPosition, counts) { Captures = captures };
        }
        finally
        {
            warc.Dispose();
            wet?.Dispose();
            wat?.Dispose();
        }
    }

    private static GeneratedFile Describe(CorpusKinds kind, string name, BackgroundRecordWriter w) =>
        new(kind, name, null, w.Writer.Position, w.Writer.UncompressedPosition, w.Writer.RecordCount, w.Index);

    private static string LanguagesJson(GeneratedPage page)
    {
        var sb = new StringBuilder(200);
        int textBytes = page.Text.Length;
        sb.Append("{\"reliable\":").Append(page.SecondLanguage is null ? "true" : "false");
        sb.Append(",\"text-bytes\":").Append(textBytes.ToString(CultureInfo.InvariantCulture));
        sb.Append(",\"languages\":[");
        AppendLanguage(sb, page.Language, page.TextCoveredPercent);
        if (page.SecondLanguage is not null)
        {
            sb.Append(',');
            AppendLanguage(sb, page.SecondLanguage, Math.Max(1, 97 - page.TextCoveredPercent));
        }
        sb.Append("]}");
        return sb.ToString();

        static void AppendLanguage(StringBuilder sb, PageLanguage lang, int percent)
        {
            sb.Append("{\"code\":\"").Append(lang.Code).Append("\",\"code-iso-639-3\":\"").Append(lang.Iso3);
            sb.Append("\",\"text-covered\":0.").Append(percent.ToString("D2", CultureInfo.InvariantCulture));
            sb.Append(",\"score\":").Append((percent * 10 + 3).ToString(CultureInfo.InvariantCulture)).Append(".0");
            sb.Append(",\"name\":\"").Append(lang.Name).Append("\"}");
        }
    }

    private static void WriteWetWarcinfo(BackgroundRecordWriter wet, Random wetRng, string wetName)
    {
        DateTime date = ExtractionStart.AddSeconds(1);
        var blockFields = new List<KeyValuePair<string, string>>
        {
            new("Software-Info", "ia-web-commons.1.1.10-SNAPSHOT-20240513074037"),
            new("Extracted-Date", PageGenerator.HttpDate(date)),
            new("robots", "checked via crawler-commons 1.5-SNAPSHOT (https://github.com/crawler-commons/crawler-commons)"),
            new("isPartOf", Crawl),
            new("operator", "Common Crawl Admin (info@commoncrawl.org)"),
            new("description", "Wide crawl of the web for May 2024"),
            new("publisher", "Common Crawl"),
        };
        var block = new ByteBuffer(1024);
        AppendFields(block, blockFields);
        block.CrLf();
        var fields = new List<KeyValuePair<string, string>>
        {
            new("WARC-Type", "warcinfo"),
            new("WARC-Date", WarcDate(date)),
            new("WARC-Filename", wetName),
            new("WARC-Record-ID", NewRecordId(wetRng)),
            new("Content-Type", "application/warc-fields"),
            new("Content-Length", ""),
            new("WARC-Block-Digest", WarcDigest.Sha1(block.Span)),
        };
        wet.Write(fields, block.Span);
    }

    private static void WriteWatWarcinfo(BackgroundRecordWriter wat, Random watRng, string watName, DateTime clock)
    {
        var blockFields = new List<KeyValuePair<string, string>>
        {
            new("Software-Info", "ia-web-commons.1.1.10-SNAPSHOT-20240513074037"),
            new("Extracted-Date", PageGenerator.HttpDate(clock)),
            new("ip", $"10.67.{watRng.Next(1, 255)}.{watRng.Next(1, 255)}"),
            new("hostname", "ip-10-67-67-159.ec2.internal"),
            new("format", "WARC File Format 1.0"),
            new("conformsTo", "http://bibnum.bnf.fr/WARC/WARC_ISO_28500_version1_latestdraft.pdf"),
        };
        var block = new ByteBuffer(1024);
        AppendFields(block, blockFields);
        block.CrLf();
        var fields = new List<KeyValuePair<string, string>>
        {
            new("WARC-Type", "warcinfo"),
            new("WARC-Date", WarcDate(clock)),
            new("WARC-Filename", watName),
            new("WARC-Record-ID", NewRecordId(watRng)),
            new("Content-Type", "application/warc-fields"),
            new("Content-Length", ""),
            new("WARC-Block-Digest", WarcDigest.Sha1(block.Span)),
        };
        wat.Write(fields, block.Span);
    }

    private static void WriteWat(BackgroundRecordWriter wat, Random watRng, List<KeyValuePair<string, string>> f, ref DateTime clock,
        string targetUri, string refersTo, ReadOnlySpan<byte> json)
    {
        clock = clock.AddSeconds(watRng.Next(2));
        string digest = WarcDigest.Sha1(json);
        f.Clear();
        f.Add(new("WARC-Type", "metadata"));
        f.Add(new("WARC-Target-URI", targetUri));
        f.Add(new("WARC-Date", WarcDate(clock)));
        f.Add(new("WARC-Record-ID", NewRecordId(watRng)));
        f.Add(new("WARC-Refers-To", refersTo));
        f.Add(new("Content-Type", "application/json"));
        f.Add(new("Content-Length", ""));
        f.Add(new("WARC-Payload-Digest", digest));
        f.Add(new("WARC-Block-Digest", digest));
        wat.Write(f, json);
    }
}
