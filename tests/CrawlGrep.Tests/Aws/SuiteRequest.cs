using System.Text;
using CrawlGrep.Core.Aws;

namespace CrawlGrep.Tests.Aws;

/// <summary>
/// A <c>.req</c> or <c>.sreq</c> file of the SigV4 suite read into a <see cref="SigV4Request"/>: the request line's
/// target as written (the suite writes raw spaces and UTF-8 there), header fields in order with continuation lines
/// kept in their value (after a line feed), and the body after the first blank line.
/// </summary>
internal static class SuiteRequest
{
    public static SigV4Request Parse(byte[] file)
    {
        int split = file.AsSpan().IndexOf("\n\n"u8);
        string head = Encoding.UTF8.GetString(file, 0, split < 0 ? file.Length : split);
        byte[] body = split < 0 ? [] : file[(split + 2)..];

        string[] lines = head.Split('\n');
        string requestLine = lines[0];
        int firstSpace = requestLine.IndexOf(' ');
        int version = requestLine.LastIndexOf(" HTTP/", StringComparison.Ordinal);
        string method = requestLine[..firstSpace];
        string target = requestLine[(firstSpace + 1)..version];
        int q = target.IndexOf('?');

        var headers = new List<KeyValuePair<string, string>>();
        foreach (string line in lines.Skip(1))
        {
            if (line.Length == 0) continue;
            if (line[0] is ' ' or '\t')
            {
                var last = headers[^1];
                headers[^1] = new(last.Key, last.Value + "\n" + line);
                continue;
            }
            int colon = line.IndexOf(':');
            headers.Add(new(line[..colon], line[(colon + 1)..]));
        }
        return SigV4Request.WithBody(method, q < 0 ? target : target[..q], q < 0 ? "" : target[(q + 1)..], headers, body);
    }

    /// <summary>The value of the first header of this name, or null.</summary>
    public static string? Header(SigV4Request request, string name) =>
        request.Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();
}
