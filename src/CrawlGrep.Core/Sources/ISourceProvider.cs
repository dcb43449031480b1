namespace CrawlGrep.Core.Sources;

/// <summary>
/// One kind of store, chosen by the scheme of a name: which names it reads, whether their bytes come over a network,
/// and how to open and list them. Providers hold no state of their own: what a scan shares (its clients, pacer and
/// counters) they take from the scan's <see cref="SourceResolver"/>, so one instance serves every scan.
/// </summary>
public interface ISourceProvider
{
    /// <summary>Whether <paramref name="name"/> is read by this provider. Schemes match in any case, as URL schemes do.</summary>
    bool Handles(string name);

    /// <summary>
    /// Its bytes come over a network: a small input is not probed before its scan, its size counts as download in
    /// estimates, and a Lambda worker can read it (a worker cannot read the client's local files).
    /// </summary>
    bool IsRemote { get; }

    /// <summary>Whether <paramref name="name"/> (one this provider handles) is a prefix whose objects it can list, e.g. <c>s3://bucket/prefix/</c>.</summary>
    bool CanList(string name);

    /// <summary>
    /// The objects under <paramref name="prefix"/>, in key order, as sources whose sizes are already known (a listing
    /// tells them), so opening them later costs no request. Throws <see cref="IOException"/> when the listing fails.
    /// </summary>
    IReadOnlyList<IByteSource> List(string prefix, SourceResolver scan);

    /// <summary>The source behind <paramref name="name"/>. Throws <see cref="IOException"/> (FileNotFoundException for a missing local file) when it cannot be read.</summary>
    IByteSource Open(string name, SourceResolver scan);
}
