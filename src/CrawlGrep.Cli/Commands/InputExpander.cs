using System.IO.Compression;
using System.IO.Enumeration;
using CrawlGrep.Core.Compression;
using CrawlGrep.Core.Sources;

namespace CrawlGrep.Cli.Commands;

/// <summary>
/// Turns the paths on the command line into inputs. A named file is always scanned (and is an
/// error if it is not an archive); in a folder, only files whose first bytes look like an archive
/// are taken, and the others are listed by --stats, as ripgrep skips binary files in folders.
/// </summary>
public static class InputExpander
{
    /// <summary>
    /// The inputs behind the names given: files as named, the archives in folders, and the archives under an
    /// <c>s3://bucket/prefix/</c> (a name ending in '/'). A listing that fails is an <see cref="IOException"/>.
    /// </summary>
    public static List<string> Expand(IEnumerable<string> paths, SourceResolver sources, out List<string> skipped)
    {
        var inputs = new List<string>();
        skipped = new List<string>();
        foreach (var p in paths)
        {
            if (sources.CanList(p)) { inputs.AddRange(sources.List(p)); continue; }
            if (!Directory.Exists(p)) { inputs.Add(p); continue; }
            foreach (var f in FilesUnder(p, skipped).Order(StringComparer.Ordinal))
            {
                if (Path.GetFileName(f).StartsWith('.')) continue;
                if (LooksLikeArchive(f)) inputs.Add(f); else skipped.Add(f);
            }
        }
        return inputs;
    }

    /// <summary>
    /// The files under a folder, its subfolders included but not links to folders (as grep -r and ripgrep): a link
    /// back up the tree would be followed until the system refused, and fail the whole listing. The links are added
    /// to <paramref name="skipped"/>; links to files are followed.
    /// </summary>
    private static List<string> FilesUnder(string folder, List<string> skipped)
    {
        var links = new List<string>();
        var files = new FileSystemEnumerable<string>(folder, (ref FileSystemEntry e) => e.ToSpecifiedFullPath(),
            new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
        {
            ShouldIncludePredicate = (ref FileSystemEntry e) => !e.IsDirectory,
            ShouldRecursePredicate = (ref FileSystemEntry e) =>
            {
                if ((e.Attributes & FileAttributes.ReparsePoint) == 0) return true;
                links.Add(e.ToSpecifiedFullPath());
                return false;
            },
        }.ToList();
        skipped.AddRange(links);
        return files;
    }

    private static bool LooksLikeArchive(string file)
    {
        try
        {
            using var fs = File.OpenRead(file);
            Span<byte> head = stackalloc byte[FormatDetector.ProbeLength];
            int n = fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            var format = FormatDetector.Detect(head[..n], out _);
            if (format != ArchiveFormat.Gzip) return format is not null;
            // Plenty of .gz files are not WARC (paths lists, CDX): look inside.
            fs.Position = 0;
            using var gz = new GZipStream(fs, CompressionMode.Decompress);
            Span<byte> inner = stackalloc byte[64];
            int m = gz.ReadAtLeast(inner, inner.Length, throwOnEndOfStream: false);
            return inner[..m].TrimStart("\r\n\t "u8).StartsWith("WARC/"u8);
        }
        catch (InvalidDataException) { return true; } // damaged: the scan will say where
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return true; } // let the scan report it
    }
}
