using System.Text;

namespace CrawlGrep.Tests.Remote;

/// <summary>
/// The head of an HTTP/1.1 message: its start line and header fields, in order and spelled as received,
/// so that a proxy can send it on unchanged (S3 signatures cover some of the fields).
/// </summary>
internal sealed class HttpHead
{
    public HttpHead(string startLine, List<KeyValuePair<string, string>> fields)
    {
        StartLine = startLine;
        Fields = fields;
    }

    public string StartLine { get; }

    public List<KeyValuePair<string, string>> Fields { get; }

    /// <summary>Request method (first word of a request line).</summary>
    public string Method => Word(0);

    /// <summary>Request target (second word of a request line): path and query.</summary>
    public string Target => Word(1);

    /// <summary>Protocol of a request line ("HTTP/1.1").</summary>
    public string RequestVersion => Word(2);

    /// <summary>Status code of a status line, or 0 when it has none.</summary>
    public int Status => int.TryParse(Word(1), out int s) ? s : 0;

    /// <summary>Value of the first field of that name, or null.</summary>
    public string? Get(string name)
    {
        foreach (var f in Fields)
            if (string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase)) return f.Value;
        return null;
    }

    /// <summary>Whether a comma-separated field (Connection, Transfer-Encoding) holds that token.</summary>
    public bool HasToken(string name, string token)
    {
        foreach (var f in Fields)
        {
            if (!string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase)) continue;
            foreach (string t in f.Value.Split(','))
                if (string.Equals(t.Trim(), token, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    /// <summary>Content-Length, or null when absent; throws on a malformed value.</summary>
    public long? ContentLength
    {
        get
        {
            string? v = Get("Content-Length");
            if (v is null) return null;
            return long.TryParse(v.Trim(), out long n) && n >= 0 ? n : throw new IOException($"bad Content-Length '{v}'");
        }
    }

    public bool IsChunked => HasToken("Transfer-Encoding", "chunked");

    /// <summary>Whether the connection stays open after this message (HTTP/1.1 default, unless "Connection: close").</summary>
    public bool KeepAlive(string version) =>
        !HasToken("Connection", "close") && (version == "HTTP/1.1" || HasToken("Connection", "keep-alive"));

    public static HttpHead Parse(string text)
    {
        string[] lines = text.Split("\r\n");
        var fields = new List<KeyValuePair<string, string>>(lines.Length);
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            int colon = lines[i].IndexOf(':');
            if (colon <= 0) throw new IOException($"bad header line '{lines[i]}'");
            fields.Add(new(lines[i][..colon], lines[i][(colon + 1)..].Trim()));
        }
        return new HttpHead(lines[0], fields);
    }

    public byte[] ToBytes()
    {
        var sb = new StringBuilder(StartLine).Append("\r\n");
        foreach (var f in Fields) sb.Append(f.Key).Append(": ").Append(f.Value).Append("\r\n");
        return Encoding.Latin1.GetBytes(sb.Append("\r\n").ToString());
    }

    private string Word(int index)
    {
        string[] words = StartLine.Split(' ', 3);
        return index < words.Length ? words[index] : "";
    }
}
