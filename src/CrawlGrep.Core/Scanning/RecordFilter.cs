using System.Text.RegularExpressions;
using CrawlGrep.Core.Warc;

namespace CrawlGrep.Core.Scanning;

/// <summary>RecordFilter stage: cheap checks on headers (type, URL, MIME) before any matching.</summary>
public sealed class RecordFilter
{
    /// <summary>The payload-bearing types scanned when --type is not given.</summary>
    public static readonly IReadOnlyList<string> DefaultTypes = ["response", "resource", "conversion"];

    /// <summary>The record types of WARC 1.1 (its WARC-Type values), and the names <c>--type</c> takes for all of them.</summary>
    public static readonly IReadOnlyList<string> KnownTypes = ["warcinfo", "request", "response", "resource", "metadata", "revisit", "conversion", "continuation"];
    private static readonly string[] AllTypes = ["all", "*"];

    /// <summary>The first of <paramref name="types"/> (comma-separated lists too) that names no WARC record type; null when all do.</summary>
    public static string? UnknownType(IEnumerable<string> types) =>
        types.SelectMany(x => x.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
             .FirstOrDefault(t => !KnownTypes.Contains(t.ToLowerInvariant()) && !AllTypes.Contains(t.ToLowerInvariant()));

    private readonly HashSet<string> _types;
    private readonly bool _allTypes;
    private readonly Regex? _url;
    private readonly Regex[] _mimes;

    public RecordFilter(IEnumerable<string>? types = null, IEnumerable<string>? mimeGlobs = null, string? urlRegex = null)
    {
        var t = (types ?? DefaultTypes).SelectMany(x => x.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                                       .Select(x => x.ToLowerInvariant()).ToList();
        if (t.Count == 0) t.AddRange(DefaultTypes);
        _allTypes = t.Any(AllTypes.Contains);
        _types = new HashSet<string>(t);
        _url = urlRegex is null ? null : new Regex(urlRegex, RegexOptions.CultureInvariant | RegexOptions.Compiled);
        _mimes = (mimeGlobs ?? []).Select(GlobToRegex).ToArray();
    }

    public IReadOnlyCollection<string> Types => _types;
    public bool FiltersMime => _mimes.Length > 0;

    public bool AcceptsType(WarcHeader h) => _allTypes || _types.Contains(h.TypeName);

    public bool AcceptsUrl(WarcHeader h) => _url is null || (h.TargetUri is { } u && _url.IsMatch(u));

    /// <summary>MIME globs (e.g. "text/*") against the media type without parameters; no type never matches a filter.</summary>
    public bool AcceptsMime(string? mediaType)
    {
        if (_mimes.Length == 0) return true;
        if (string.IsNullOrEmpty(mediaType)) return false;
        foreach (var m in _mimes) if (m.IsMatch(mediaType)) return true;
        return false;
    }

    private static Regex GlobToRegex(string glob) =>
        new("^" + Regex.Escape(glob.Trim().ToLowerInvariant()).Replace(@"\*", ".*").Replace(@"\?", ".") + "$",
            RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
}
