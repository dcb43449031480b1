using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace CrawlGrep.Core.Generation;

/// <summary>
/// Writes sorted CDX lines as Common Crawl publishes its CDX index (pywb's ZipNum format): a shard of gzip members
/// of <see cref="LinesPerBlock"/> lines each, so that a reader can inflate one block alone, and a <c>cluster.idx</c>
/// with one line per block: <c>SURT TIMESTAMP\tSHARD\tOFFSET\tLENGTH\tBLOCK</c> (blocks numbered from 1).
/// </summary>
internal static class ZipNumCdxWriter
{
    public const int LinesPerBlock = 3000;

    public static void Write(IReadOnlyList<string> sortedLines, string shardPath, string clusterPath, int linesPerBlock = LinesPerBlock)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(linesPerBlock, 1);
        string shardName = Path.GetFileName(shardPath);
        using var shard = new FileStream(shardPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        using var cluster = new StreamWriter(clusterPath, append: false, new UTF8Encoding(false)) { NewLine = "\n" };
        var member = new MemoryStream();
        for (int start = 0, block = 1; start < sortedLines.Count; start += linesPerBlock, block++)
        {
            member.SetLength(0);
            using (var gzip = new GZipStream(new GzipHeaderNormalizingStream(member),
                       new ZLibCompressionOptions { CompressionLevel = WarcRecordWriter.DefaultGzipLevel }, leaveOpen: false))
            using (var text = new StreamWriter(gzip, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" })
            {
                for (int i = start; i < Math.Min(start + linesPerBlock, sortedLines.Count); i++) text.WriteLine(sortedLines[i]);
            }
            long offset = shard.Position;
            member.WriteTo(shard);
            string first = sortedLines[start];
            string key = first[..first.IndexOf(' ', first.IndexOf(' ') + 1)]; // "SURT TIMESTAMP"
            cluster.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{key}\t{shardName}\t{offset}\t{member.Length}\t{block}"));
        }
    }
}
