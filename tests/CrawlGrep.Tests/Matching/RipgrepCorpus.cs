using CrawlGrep.Core.Compression;
using CrawlGrep.Core.Generation;
using CrawlGrep.Core.Warc;
using CrawlGrep.Tests.Conformance;

namespace CrawlGrep.Tests.Matching;

/// <summary>The decoded payload of one record, as the scanner hands it to the matcher.</summary>
internal sealed record PayloadRecord(string Key, string Source, int Index, string Type, string? TargetUri, long RecordOffset, byte[] Payload)
{
    public string Describe() =>
        $"{Source} record #{Index} ({Type}{(TargetUri is null ? "" : " " + TargetUri)}, record offset {RecordOffset}, payload file {Key})";
}

/// <summary>An archive of the corpus: its name in reports and its path on disk.</summary>
internal sealed record CorpusArchive(string Name, string Path, int Group);

/// <summary>
/// The differential corpus, built once per test run: every record payload of some real archives
/// (genuine Common Crawl WARC/WET/WAT and others with non-ASCII text, binary bodies and encoded
/// bodies) and of a generated ~5 MB plain WARC (seed 1), each written to its own file so ripgrep
/// can search them all in one run and report per record.
/// </summary>
public sealed class RipgrepCorpus : IDisposable
{
    public const string Collection = "ripgrep differential corpus";

    /// <summary>Real archives, relative to the real-data folder.</summary>
    public static readonly string[] RealFiles =
    [
        "whirlwind-python/whirlwind.warc",          // genuine CC-MAIN-2024-22 WARC
        "whirlwind-python/whirlwind.warc.wet",      // genuine CC WET (Spanish text)
        "whirlwind-python/whirlwind.warc.wat",      // genuine CC WAT (JSON)
        "resiliparse/warcfile.warc",                // genuine CC-MAIN-2020-34 WARC, 50 records
        "jwarc/cc.warc.gz",                         // one genuine CC response, 2019
        "resiliparse/clueweb-quirk.warc.gz",        // ClueWeb09: LF-only lines, non-ASCII pages
        "webarchive-discovery/flashfrozen-jwat-recompressed.warc.gz", // Wikipedia Mona Lisa: many scripts
        "dolma/sample-0000.warc.gz",                // wget crawl, non-ASCII
        "ia-web-commons/IAH-urls-wget.warc",        // 2008 pages, Latin-1 bytes (invalid UTF-8)
        "pywb/iana.warc.gz",                        // iana.org 2014: images and fonts (binary payloads)
        "warcio/example-iana.org-chunked.warc",     // chunked transfer-encoding
        "webarchive-discovery/transfer_compression_gzip.warc.gz",   // gzip content-encoding
        "webarchive-discovery/transfer_compression_brotli.warc",    // brotli content-encoding
    ];

    public const long GeneratedBytes = 5_000_000;
    public const string GeneratedName = "generated seed 1 (plain WARC)";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "crawlgrep-rgdiff-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly Lazy<Built> _built;

    public RipgrepCorpus() => _built = new Lazy<Built>(Build);

    private sealed record Built(List<PayloadRecord> Records, Dictionary<string, PayloadRecord> ByKey, List<CorpusArchive> Archives, string? Note);

    /// <summary>Folder holding one file per record payload (<c>gNN/rNNNNN</c>): where rg runs.</summary>
    public string PayloadDir => Path.Combine(_root, "payloads");

    internal IReadOnlyList<PayloadRecord> Records => _built.Value.Records;
    internal IReadOnlyDictionary<string, PayloadRecord> ByKey => _built.Value.ByKey;
    internal IReadOnlyList<CorpusArchive> Archives => _built.Value.Archives;

    /// <summary>Says what the corpus lacks (real data not found), or null.</summary>
    public string? Note => _built.Value.Note;

    public long PayloadBytes => Records.Sum(r => (long)r.Payload.Length);

    /// <summary>A scratch folder inside the corpus folder (deleted with it).</summary>
    public string Scratch(string name)
    {
        string p = Path.Combine(_root, "scratch", name);
        Directory.CreateDirectory(p);
        return p;
    }

    private Built Build()
    {
        Directory.CreateDirectory(PayloadDir);
        var records = new List<PayloadRecord>();
        var archives = new List<CorpusArchive>();
        string? note = null;
        int group = 0;
        if (RealData.Root is not null)
        {
            foreach (string rel in RealFiles)
            {
                string path = RealData.PathOf(rel);
                archives.Add(new CorpusArchive(rel, path, group));
                records.AddRange(Extract(File.ReadAllBytes(path), rel, group++));
            }
        }
        else
        {
            note = "real archives not found: generated corpus only";
            group = RealFiles.Length;
        }

        var warc = new MemoryStream();
        new CorpusGenerator(new CorpusOptions { Seed = 1, TargetSize = GeneratedBytes, Kinds = CorpusKinds.Warc, Compression = WarcCompression.Plain })
            .Generate(warc, null, null);
        Directory.CreateDirectory(Path.Combine(_root, "archives"));
        string generated = Path.Combine(_root, "archives", CorpusGenerator.FileName(CorpusKinds.Warc, WarcCompression.Plain));
        File.WriteAllBytes(generated, warc.ToArray());
        archives.Add(new CorpusArchive(GeneratedName, generated, group));
        records.AddRange(Extract(warc.ToArray(), GeneratedName, group));

        foreach (var r in records)
        {
            string file = Path.Combine(PayloadDir, r.Key.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllBytes(file, r.Payload);
        }
        return new Built(records, records.ToDictionary(r => r.Key, StringComparer.Ordinal), archives, note);
    }

    /// <summary>
    /// Every record's payload as the scanner matches it (see RecordPayload): the block,
    /// past the HTTP head for response/request/revisit records that carry one, with the transfer- and
    /// content-encodings undone.
    /// </summary>
    internal static IEnumerable<PayloadRecord> Extract(byte[] file, string source, int group)
    {
        var format = FormatDetector.Detect(file.AsSpan(0, Math.Min(file.Length, FormatDetector.ProbeLength)), out string? reason)
                     ?? throw new InvalidOperationException($"{source}: {reason}");
        DecoderWarning ignore = (_, _) => { };
        var list = new List<PayloadRecord>();
        var http = new HttpHead();
        using var payloads = new PayloadDecoder();
        using var reader = new WarcReader(EngineRead.Decoder(format, new MemoryStream(file, writable: false), 0, ignore), ignore);
        int index = 0;
        while (reader.MoveNext())
        {
            var h = reader.Header;
            byte[] blockBytes;
            if (reader.TryGetBlock(out var b)) blockBytes = b.ToArray();
            else
            {
                var ms = new MemoryStream();
                var buf = new byte[1 << 20];
                int n;
                while ((n = reader.ReadBlock(buf)) > 0) ms.Write(buf, 0, n);
                blockBytes = ms.ToArray();
            }
            ReadOnlySpan<byte> block = blockBytes;
            ReadOnlySpan<byte> payload = block;
            bool httpType = h.Type is WarcRecordType.Response or WarcRecordType.Request or WarcRecordType.Revisit;
            if (httpType && HttpHead.LooksLikeHttp(block))
            {
                http.Parse(block);
                payload = block[http.Length..];
                var te = http.TransferEncoding(block);
                var ce = http.ContentEncoding(block);
                if (PayloadDecoder.NeedsDecoding(te, ce)) payload = payloads.Decode(payload, te, ce, out _);
            }
            string type = h.TypeName, uri = h.TargetUri ?? "";
            byte[] bytes = payload.ToArray();
            reader.CompleteRecord();
            list.Add(new PayloadRecord($"g{group:00}/r{index:00000}", source, index, type, uri.Length == 0 ? null : uri, reader.CompressedOffset, bytes));
            index++;
        }
        return list;
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

[CollectionDefinition(RipgrepCorpus.Collection)]
public sealed class RipgrepCorpusCollection : ICollectionFixture<RipgrepCorpus>;
