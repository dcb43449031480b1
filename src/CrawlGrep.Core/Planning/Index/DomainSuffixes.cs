namespace CrawlGrep.Core.Planning.Index;

/// <summary>
/// The suffixes under which names are registered, as CC's index takes them from the Public Suffix List
/// (publicsuffix.org): registry suffixes such as <c>com</c> or <c>co.uk</c>, and private ones such as
/// <c>blogspot.com</c>. This knows a built-in handful of multi-label suffixes, those of generated corpora and
/// common ones, not the whole list: under any other, a host's last label is its suffix.
/// </summary>
internal static class DomainSuffixes
{
    private static readonly HashSet<string> Registry = new(StringComparer.Ordinal)
    {
        "co.uk", "org.uk", "ac.uk", "gov.uk", "com.au", "net.au", "org.au", "edu.au", "com.br", "net.br", "org.br",
        "co.jp", "ne.jp", "or.jp", "ac.jp", "co.nz", "co.za", "com.cn", "com.mx", "co.in", "co.kr", "com.tr", "com.tw", "com.ar",
    };

    private static readonly HashSet<string> Private = new(StringComparer.Ordinal)
    {
        "blogspot.com", "github.io", "herokuapp.com", "appspot.com", "s3.amazonaws.com",
    };

    /// <summary>The registry suffix of a host given as its labels (lower case, in order), e.g. <c>co.uk</c>.</summary>
    public static string RegistrySuffix(string[] labels) => Longest(labels, privateToo: false);

    /// <summary>The suffix including private registries, e.g. <c>blogspot.com</c>.</summary>
    public static string PrivateSuffix(string[] labels) => Longest(labels, privateToo: true);

    /// <summary>The suffix and the one label before it (<c>example.co.uk</c>); null when the host is the suffix itself.</summary>
    public static string? DomainUnder(string[] labels, string suffix)
    {
        int suffixLabels = suffix.Count(c => c == '.') + 1;
        return labels.Length <= suffixLabels ? null : string.Join('.', labels[^(suffixLabels + 1)..]);
    }

    private static string Longest(string[] labels, bool privateToo)
    {
        for (int take = Math.Min(labels.Length, 3); take >= 2; take--)
        {
            string candidate = string.Join('.', labels[^take..]);
            if (Registry.Contains(candidate) || (privateToo && Private.Contains(candidate))) return candidate;
        }
        return labels[^1];
    }
}
