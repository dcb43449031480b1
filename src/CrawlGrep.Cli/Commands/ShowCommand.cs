using System.CommandLine;
using CrawlGrep.Core.Compression;
using CrawlGrep.Core.Sources;
using CrawlGrep.Core.Warc;

namespace CrawlGrep.Cli.Commands;

/// <summary>
/// <c>crawlgrep show FILE OFFSET [LENGTH]</c>: prints the record at a compressed offset (a hit's
/// record_offset, or CC's warc_record_offset) with one seek and one range read.
/// </summary>
public static class ShowCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "The archive" };
        var offset = new Argument<long>("OFFSET") { Description = "Compressed byte offset of the record" };
        var length = new Argument<long?>("LENGTH") { Description = "Compressed length of the record (reads exactly that range)", Arity = ArgumentArity.ZeroOrOne };
        var payload = new Option<bool>("--payload") { Description = "Print only the payload (HTTP headers removed, transfer and content encodings undone)" };
        var headers = new Option<bool>("--headers") { Description = "Print only the WARC header" };
        var remote = new RemoteFlags();
        var cmd = new Command("show", "Print one record, read at its offset");
        remote.AddTo(cmd);
        cmd.Arguments.Add(file);
        cmd.Arguments.Add(offset);
        cmd.Arguments.Add(length);
        cmd.Options.Add(payload);
        cmd.Options.Add(headers);
        cmd.SetAction(pr =>
        {
            using var sources = remote.Resolver(pr);
            return Show(sources, pr.GetValue(file)!, pr.GetValue(offset), pr.GetValue(length), pr.GetValue(payload), pr.GetValue(headers));
        });
        return cmd;
    }

    private static int Show(SourceResolver sources, string path, long offset, long? length, bool payloadOnly, bool headersOnly)
    {
        var err = Console.Error;
        int warnings = 0;
        try
        {
            var source = sources.Open(path);
            if (offset < 0 || offset >= source.Length) { err.WriteLine($"crawlgrep: show: {path}: offset {offset} is outside the file ({source.Length} bytes)"); return 2; }
            if (length is <= 0) { err.WriteLine($"crawlgrep: show: {path}: length {length} holds no record (give the record_length of a hit, or leave it out)"); return 2; }
            long end = length is long l ? Math.Min(source.Length, offset + l) : source.Length;
            using var stream = ReplayStream.Peek(source.OpenRange(offset, end), FormatDetector.ProbeLength, out var head);
            var format = FormatDetector.Detect(head, out string? reason);
            if (format is null) { err.WriteLine($"crawlgrep: show: {path}: offset {offset}: no record starts here ({reason})"); return 2; }

            void Warn(long at, string message) { warnings++; err.WriteLine($"crawlgrep: {path}: offset {at}: {message}"); }
            var decoder = ArchiveDecoders.Create(format.Value, stream, offset, Warn, format == ArchiveFormat.Zstd && offset > 0 ? ZstdDecoder.ReadDictionary(source) : null);
            using var reader = new WarcReader(decoder, Warn);
            if (!reader.MoveNext()) { err.WriteLine($"crawlgrep: show: {path}: offset {offset}: no WARC record found"); return 2; }

            using var stdout = Console.OpenStandardOutput();
            var h = reader.Header;
            if (!payloadOnly)
            {
                using var w = new StreamWriter(stdout, leaveOpen: true) { NewLine = "\r\n" };
                w.WriteLine($"WARC/{h.Version}");
                foreach (var (k, v) in h.Fields()) w.WriteLine($"{k}: {v}");
                w.WriteLine();
            }
            if (headersOnly) return 0;
            if (reader.TryGetBlock(out var block))
            {
                if (payloadOnly && HttpHead.LooksLikeHttp(block))
                {
                    var http = new HttpHead();
                    http.Parse(block);
                    var body = block[http.Length..];
                    using var pd = new PayloadDecoder();
                    var te = http.TransferEncoding(block);
                    var ce = http.ContentEncoding(block);
                    var text = PayloadDecoder.NeedsDecoding(te, ce) ? pd.Decode(body, te, ce, out string? problem) : body;
                    stdout.Write(text);
                }
                else stdout.Write(block);
            }
            else
            {
                var buf = new byte[1 << 20];
                int n;
                while ((n = reader.ReadBlock(buf)) > 0) stdout.Write(buf, 0, n);
            }
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { err.WriteLine($"crawlgrep: show: {CommandSupport.FileProblem(path, e)}"); return 2; }
    }
}
