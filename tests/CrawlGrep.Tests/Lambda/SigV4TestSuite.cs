using CrawlGrep.Tests.Conformance;
using CrawlGrep.Tests.Remote;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// AWS's Signature Version 4 test suite as the emulator's signature check meets it (the folder:
/// <see cref="SharedDataFolder.SigV4"/>). Every case signs with the same documented key, region, service and time.
/// </summary>
internal static class SigV4TestSuite
{
    public static readonly AwsKeys Keys = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");

    public const string Region = "us-east-1";

    public const string Service = "service";

    public static readonly DateTimeOffset SignedAt = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    /// <summary>The suite's folder, or null when it is absent and the test should end; fails the test when CI=true.</summary>
    public static string? Require(ITestOutputHelper output) => SharedDataFolder.SigV4.Require(output);

    /// <summary>The session token of the suite's token cases: the last line of post-sts-token/readme.txt.</summary>
    public static string SessionToken(string root) =>
        File.ReadAllLines(Path.Combine(root, "post-sts-token", "readme.txt")).Last(l => l.Trim().Length > 0).Trim();

    /// <summary>The file of a case with that extension: "get-vanilla", "sreq" → get-vanilla/get-vanilla.sreq.</summary>
    public static string FileOf(string root, string casePath, string extension) =>
        Path.Combine(root, casePath.Replace('/', Path.DirectorySeparatorChar), Path.GetFileName(casePath) + "." + extension);

    /// <summary>
    /// A signed request of the suite (LF line ends, as vendored): request line, header lines (a line starting with
    /// white space continues the one before), blank line, body. Read as Latin-1, as the emulator reads the wire.
    /// </summary>
    public static (HttpHead Head, byte[] Body) ParseRequest(byte[] file)
    {
        string text = System.Text.Encoding.Latin1.GetString(file);
        int blank = text.IndexOf("\n\n", StringComparison.Ordinal);
        string head = blank < 0 ? text : text[..blank];
        byte[] body = blank < 0 ? [] : file[(blank + 2)..];
        string[] lines = head.Split('\n');
        var fields = new List<KeyValuePair<string, string>>();
        foreach (string line in lines.Skip(1))
        {
            if (line.Length > 0 && line[0] is ' ' or '\t' && fields.Count > 0)
            {
                fields[^1] = new(fields[^1].Key, fields[^1].Value + " " + line.Trim());
                continue;
            }
            int colon = line.IndexOf(':');
            fields.Add(new(line[..colon], line[(colon + 1)..].Trim()));
        }
        return (new HttpHead(lines[0], fields), body);
    }
}
