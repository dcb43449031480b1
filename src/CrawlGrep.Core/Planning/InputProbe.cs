using System.Text;
using CrawlGrep.Core.Compression;
using CrawlGrep.Core.Scanning;
using CrawlGrep.Core.Sources;
using CrawlGrep.Core.Warc;

namespace CrawlGrep.Core.Planning;

/// <summary>What the head of an input tells the planner: its format, its crawl, and whether it can be cut into ranges.</summary>
/// <param name="Splittable">
/// False for a gzip file whose first two records share a member (a whole-file gzip, or members holding several
/// records): a range could only start at a member, so cutting it would leave all but one range idle.
/// </param>
/// <param name="Format">Null when the head was not read: the input is scanned whole, and a whole scan reads it itself.</param>
public sealed record InputLayout(string Source, long Length, ArchiveFormat? Format, bool Splittable, string? Crawl)
{
    /// <summary>
    /// The head's first two records share a gzip member (a whole-file gzip, or members of several records): a record
    /// cannot be read alone by its offset, so an index cannot guide a scan of it.
    /// </summary>
    public bool RecordsShareUnits { get; init; }
}

/// <summary>Reads the head of an input (its first two records, at most <see cref="HeadBytes"/>) to plan its scan.</summary>
public static class InputProbe
{
    public const int HeadBytes = 1 << 20;

    /// <summary>
    /// The layout of <paramref name="source"/>, or null with the reason it cannot be scanned. A remote input no
    /// larger than <paramref name="smallestRange"/> is never cut, so its head is not fetched here: the scan, which
    /// reads it whole, finds its format and crawl itself, and no byte is downloaded twice.
    /// </summary>
    public static InputLayout? Probe(IByteSource source, long smallestRange, out string? error)
    {
        if (SourceProviders.IsRemote(source.Name) && source.Length <= smallestRange && !IsCommonCrawlFile(source.Name))
        {
            error = null;
            return new InputLayout(source.Name, source.Length, null, Splittable: false, HitText.Crawl(source.Name));
        }
        return Probe(source, out error);
    }

    /// <summary>The layout of <paramref name="source"/>, read from its head, or null with the reason it cannot be scanned.</summary>
    public static InputLayout? Probe(IByteSource source, out string? error)
    {
        error = null;
        if (IsCommonCrawlFile(source.Name))
            return new InputLayout(source.Name, source.Length, ArchiveFormat.Gzip, Splittable: true, HitText.Crawl(source.Name));
        // Read lazily, as far as the first two records take (a remote source asks for a little at a time), and
        // never past HeadBytes.
        using var stream = ReplayStream.Peek(source.OpenRange(0, Math.Min(source.Length, HeadBytes), expectedEnd: 0), FormatDetector.ProbeLength, out var head);
        var format = FormatDetector.Detect(head, out error);
        if (format is null) return null;

        string? crawl = HitText.Crawl(source.Name);
        long firstUnit = -1, secondUnit = -1;
        DecoderWarning quiet = (_, _) => { };
        using (var reader = new WarcReader(ArchiveDecoders.Create(format.Value, stream, 0, quiet), quiet))
        {
            if (reader.MoveNext())
            {
                firstUnit = reader.CompressedOffset;
                if (crawl is null && reader.Header.Type == WarcRecordType.Warcinfo && reader.TryGetBlock(out var info))
                    crawl = HitText.Crawl(Encoding.UTF8.GetString(info[..Math.Min(info.Length, 4096)]));
                if (reader.MoveNext()) secondUnit = reader.CompressedOffset;
            }
        }
        bool splittable = format != ArchiveFormat.Gzip || (secondUnit >= 0 && secondUnit != firstUnit);
        return new InputLayout(source.Name, source.Length, format.Value, splittable, crawl)
        {
            RecordsShareUnits = format == ArchiveFormat.Gzip && secondUnit >= 0 && secondUnit == firstUnit,
        };
    }

    /// <summary>
    /// A remote file of Common Crawl's own layout (<c>crawl-data/CC-MAIN-…/….warc.gz</c>, WET and WAT alike): one
    /// gzip member per record by CC's writers, so its layout is known from the name and planning a crawl's
    /// thousands of files costs one HEAD each, not a read of each head. (Were one of them whole-file gzip after all,
    /// the scan would still be exact: its first task would own every record, the others none.)
    /// </summary>
    public static bool IsCommonCrawlFile(string name) =>
        SourceProviders.IsRemote(name) && name.Contains("/crawl-data/CC-MAIN-", StringComparison.Ordinal)
        && (name.EndsWith(".warc.gz", StringComparison.Ordinal) || name.EndsWith(".warc.wet.gz", StringComparison.Ordinal)
            || name.EndsWith(".warc.wat.gz", StringComparison.Ordinal));
}
