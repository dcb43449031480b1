using System.IO.Compression;

namespace CrawlGrep.Cli.Commands;

/// <summary>
/// The deployment zip of a crawlgrep Lambda function (runtime provided.al2023): the Native AOT crawlgrep as
/// <c>bootstrap</c> at the root, and libdeflate beside it when this machine has it for the architecture (crawlgrep
/// inflates gzip with it where it loads, else with zlib-ng). Lambda unpacks the zip into /var/task and runs
/// <c>bootstrap</c>; DuckDB's library is left out, as the worker never opens a database.
/// </summary>
public static class LambdaPackage
{
    public const string BootstrapEntry = "bootstrap";
    public const string LibDeflateName = "libdeflate.so.0";

    /// <summary>rwxr-xr-x on a regular file, as zip's unix external attributes (the upper 16 bits) carry it.</summary>
    private const int Executable = (0b111_101_101 | 0x8000) << 16;
    private const int Readable = (0b110_100_100 | 0x8000) << 16;

    public static string DefaultFileName(LambdaArchitecture arch) => $"crawlgrep-lambda-{arch.Name}.zip";

    /// <summary>Where Debian installs libdeflate for <paramref name="arch"/> (libdeflate0, or libdeflate0:arm64), when it does.</summary>
    public static string? FindLibDeflate(LambdaArchitecture arch)
    {
        foreach (string dir in new[] { $"/usr/lib/{arch.Multiarch}", $"/lib/{arch.Multiarch}" })
        {
            string path = Path.Combine(dir, LibDeflateName);
            if (File.Exists(path) && LambdaArchitecture.OfElf(path) == arch) return path;
        }
        return null;
    }

    /// <summary>Writes the zip to <paramref name="zipPath"/> (replacing it whole, never leaving half a zip).</summary>
    public static void Write(string zipPath, string bootstrap, string? libDeflate)
    {
        string full = Path.GetFullPath(zipPath);
        string temp = full + ".tmp";
        try
        {
            using (var zip = ZipFile.Open(temp, ZipArchiveMode.Create))
            {
                Add(zip, BootstrapEntry, bootstrap, Executable);
                if (libDeflate is not null) Add(zip, LibDeflateName, libDeflate, Readable); // the real file behind the symlink
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static void Add(ZipArchive zip, string name, string source, int attributes)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.SmallestSize);
        entry.ExternalAttributes = attributes;
        entry.LastWriteTime = File.GetLastWriteTime(source);
        using var input = File.OpenRead(source);
        using var output = entry.Open();
        input.CopyTo(output);
    }
}
