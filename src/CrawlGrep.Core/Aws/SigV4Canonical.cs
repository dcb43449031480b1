using System.Text;

namespace CrawlGrep.Core.Aws;

/// <summary>
/// The canonical forms of SigV4 task 1: path, query and headers, each written the one way AWS rewrites them on its
/// side before it compares signatures.
/// </summary>
public static class SigV4Canonical
{
    /// <summary>
    /// The canonical URI. For every service but S3 the path is normalised (empty and '.' segments dropped, '..'
    /// taken back) and each segment of the path as sent is encoded once more, so an escape such as %3A becomes
    /// %253A ("double encoding"). S3 keeps its path as it is, apart from escaping characters that were not.
    /// </summary>
    public static string Path(string path, bool normalizeAndDoubleEncode)
    {
        if (path.Length == 0) return "/";
        string[] parts = path.Split('/');
        var sb = new StringBuilder(path.Length + 16);
        if (!normalizeAndDoubleEncode)
        {
            for (int i = 0; i < parts.Length; i++)
            {
                if (i > 0) sb.Append('/');
                AppendKeepingEscapes(sb, parts[i]);
            }
            return sb.Length > 0 && sb[0] == '/' ? sb.ToString() : "/" + sb;
        }

        var kept = new List<string>(parts.Length);
        foreach (string part in parts)
        {
            if (part.Length == 0 || part == ".") continue;
            if (part == "..") { if (kept.Count > 0) kept.RemoveAt(kept.Count - 1); continue; }
            kept.Add(part);
        }
        foreach (string part in kept) sb.Append('/').Append(UriEncode(part));
        // A trailing slash names a different resource than none, so it survives normalisation.
        if (kept.Count > 0 && path.EndsWith('/')) sb.Append('/');
        return sb.Length == 0 ? "/" : sb.ToString();
    }

    /// <summary>
    /// The canonical query: each parameter decoded and encoded again the one canonical way, sorted by key and then
    /// by value (ordinal, on the encoded forms), a key without '=' given an empty value.
    /// </summary>
    public static string Query(string query)
    {
        if (query.StartsWith('?')) query = query[1..];
        if (query.Length == 0) return "";
        var pairs = new List<(string Key, string Value)>();
        foreach (string param in query.Split('&'))
        {
            if (param.Length == 0) continue;
            int eq = param.IndexOf('=');
            string key = eq < 0 ? param : param[..eq];
            string value = eq < 0 ? "" : param[(eq + 1)..];
            pairs.Add((UriEncode(PercentDecode(key)), UriEncode(PercentDecode(value))));
        }
        pairs.Sort((a, b) =>
        {
            int byKey = string.CompareOrdinal(a.Key, b.Key);
            return byKey != 0 ? byKey : string.CompareOrdinal(a.Value, b.Value);
        });
        return string.Join('&', pairs.Select(p => p.Key + "=" + p.Value));
    }

    /// <summary>
    /// The canonical header block (each "name:value\n", names lowercased and sorted, the values of a repeated name
    /// joined by commas in the order they came) and the signed-headers list ("a;b;c").
    /// </summary>
    public static (string Block, string SignedHeaders) Headers(IEnumerable<KeyValuePair<string, string>> headers)
    {
        var byName = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (name, value) in headers)
        {
            string key = name.Trim().ToLowerInvariant();
            if (!byName.TryGetValue(key, out var values)) byName[key] = values = [];
            values.Add(TrimAndCollapse(value));
        }
        var block = new StringBuilder();
        foreach (var (name, values) in byName) block.Append(name).Append(':').AppendJoin(',', values).Append('\n');
        return (block.ToString(), string.Join(';', byName.Keys));
    }

    /// <summary>
    /// A header value with its ends trimmed and each run of whitespace inside it made one space; a folded value
    /// (continuation lines) thereby becomes one line.
    /// </summary>
    public static string TrimAndCollapse(string value)
    {
        var sb = new StringBuilder(value.Length);
        bool inSpace = false;
        foreach (char c in value.AsSpan().Trim(" \t\r\n"))
        {
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                if (!inSpace) sb.Append(' ');
                inSpace = true;
                continue;
            }
            inSpace = false;
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>
    /// RFC 3986 encoding as SigV4 defines it: A-Z a-z 0-9 - _ . ~ stay, every other byte of the UTF-8 form becomes
    /// %XX with uppercase hex ('/' included).
    /// </summary>
    public static string UriEncode(string value)
    {
        var sb = new StringBuilder(value.Length + 8);
        foreach (byte b in Encoding.UTF8.GetBytes(value)) AppendByte(sb, b);
        return sb.ToString();
    }

    private static void AppendByte(StringBuilder sb, byte b)
    {
        if (IsUnreserved(b)) sb.Append((char)b);
        else sb.Append('%').Append("0123456789ABCDEF"[b >> 4]).Append("0123456789ABCDEF"[b & 15]);
    }

    private static bool IsUnreserved(byte b) =>
        b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9'
            or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~';

    /// <summary>Encodes what is not yet escaped; a valid %XX stays (its hex made uppercase).</summary>
    private static void AppendKeepingEscapes(StringBuilder sb, string segment)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(segment);
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'%' && i + 2 < bytes.Length && Uri.IsHexDigit((char)bytes[i + 1]) && Uri.IsHexDigit((char)bytes[i + 2]))
            {
                sb.Append('%').Append(char.ToUpperInvariant((char)bytes[i + 1])).Append(char.ToUpperInvariant((char)bytes[i + 2]));
                i += 2;
                continue;
            }
            AppendByte(sb, bytes[i]);
        }
    }

    /// <summary>Undoes %XX escapes (to UTF-8 bytes, then text); '+' stays a plus, as SigV4 treats it.</summary>
    private static string PercentDecode(string value)
    {
        if (!value.Contains('%')) return value;
        var bytes = new List<byte>(value.Length);
        byte[] raw = Encoding.UTF8.GetBytes(value);
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] == (byte)'%' && i + 2 < raw.Length && Uri.IsHexDigit((char)raw[i + 1]) && Uri.IsHexDigit((char)raw[i + 2]))
            {
                bytes.Add((byte)Convert.ToInt32(Encoding.ASCII.GetString(raw, i + 1, 2), 16));
                i += 2;
            }
            else bytes.Add(raw[i]);
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
