using System.Globalization;
using System.Text.RegularExpressions;

namespace CrawlGrep.Core.Planning.Index;

/// <summary>
/// The URL columns of CC's columnar index for one URL, derived as cc-index-table derives them (its <c>WarcUri</c>
/// and <c>HostName</c>): the URL split as <c>java.net.URL</c> splits it (path and query as written), the host
/// lower-cased, its labels reversed and its registry and private suffixes (<see cref="DomainSuffixes"/>). An IP
/// address gets no labels and no suffixes. Not done: IDN hosts are not punycoded.
/// </summary>
public sealed partial record IndexUrl(
    string Protocol,
    string HostName,
    int? Port,
    string Path,
    string? Query,
    IReadOnlyList<string>? ReversedLabels,
    string? RegistrySuffix,
    string? RegisteredDomain,
    string? PrivateSuffix,
    string? PrivateDomain)
{
    /// <summary>The host's label <paramref name="fromEnd"/> places from its end (0: the TLD), or null.</summary>
    public string? Label(int fromEnd) => ReversedLabels is { } r && fromEnd < r.Count ? r[fromEnd] : null;

    /// <summary><c>www.example.com</c> → <c>com.example.www</c>; null for an IP address.</summary>
    public string? HostNameReversed => ReversedLabels is null ? null : string.Join('.', ReversedLabels);

    /// <summary>Splits <paramref name="url"/>; throws <see cref="FormatException"/> when it has no <c>scheme://host</c>.</summary>
    public static IndexUrl Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var m = UrlParts().Match(url);
        if (!m.Success) throw new FormatException($"not an absolute URL: {url}");
        string authority = m.Groups["authority"].Value;
        authority = authority[(authority.LastIndexOf('@') + 1)..];
        int? port = null;
        int colon = authority.LastIndexOf(':');
        if (colon >= 0 && colon > authority.LastIndexOf(']'))
        {
            if (colon + 1 < authority.Length)
            {
                if (!int.TryParse(authority.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int p))
                    throw new FormatException($"bad port in URL: {url}");
                port = p;
            }
            authority = authority[..colon];
        }
        string host = authority.ToLowerInvariant();
        if (host.Contains('%')) host = Uri.UnescapeDataString(host);
        host = host.TrimEnd('.');
        string path = m.Groups["path"].Value;
        string? query = m.Groups["query"].Success ? m.Groups["query"].Value : null;
        string protocol = m.Groups["scheme"].Value.ToLowerInvariant();

        if (Ipv4().IsMatch(host) || host.StartsWith('['))
            return new IndexUrl(protocol, host, port, path, query, null, null, null, null, null);
        string[] labels = host.Split('.');
        string registry = DomainSuffixes.RegistrySuffix(labels);
        string privateSuffix = DomainSuffixes.PrivateSuffix(labels);
        return new IndexUrl(protocol, host, port, path, query, labels.Reverse().ToArray(),
            registry, DomainSuffixes.DomainUnder(labels, registry), privateSuffix, DomainSuffixes.DomainUnder(labels, privateSuffix));
    }

    [GeneratedRegex(@"^(?<scheme>[a-zA-Z][a-zA-Z0-9+\-.]*)://(?<authority>[^/?#]*)(?<path>[^?#]*)(?:\?(?<query>[^#]*))?(?:#.*)?$", RegexOptions.Singleline)]
    private static partial Regex UrlParts();

    [GeneratedRegex(@"^(?:(?:25[0-5]|(?:2[0-4]|1?[0-9])?[0-9])\.){3}(?:25[0-5]|(?:2[0-4]|1?[0-9])?[0-9])$")]
    private static partial Regex Ipv4();
}
