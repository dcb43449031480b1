namespace CrawlGrep.Core.Sources;

/// <summary>
/// The one list of source providers: a name is read by the first provider that handles it. A new store (gs://, …)
/// is one provider and one line here; local files come last and take every name the others do not.
/// </summary>
public static class SourceProviders
{
    public static readonly IReadOnlyList<ISourceProvider> All =
    [
        new S3Provider(),
        new HttpProvider(),
        new LocalFileProvider(),
    ];

    /// <summary>The provider that reads <paramref name="name"/>.</summary>
    public static ISourceProvider For(string name)
    {
        foreach (var provider in All)
            if (provider.Handles(name)) return provider;
        throw new InvalidOperationException("the last provider handles every name"); // unreachable while local files close the list
    }

    /// <summary>Whether the bytes of <paramref name="name"/> come over a network (see <see cref="ISourceProvider.IsRemote"/>).</summary>
    public static bool IsRemote(string name) => For(name).IsRemote;
}
