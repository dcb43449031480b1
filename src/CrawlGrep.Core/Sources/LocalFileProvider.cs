namespace CrawlGrep.Core.Sources;

/// <summary>
/// Files on a local disk: the fallback for every name no other provider handles, so a path that merely looks odd
/// (<c>C:\warc</c>, <c>s3:/x</c>) is still tried as a file and fails as a missing one.
/// </summary>
public sealed class LocalFileProvider : ISourceProvider
{
    public bool Handles(string name) => true;

    public bool IsRemote => false;

    // Folders are walked by the caller, which also reports the files it skips.
    public bool CanList(string name) => false;

    public IReadOnlyList<IByteSource> List(string prefix, SourceResolver scan) =>
        throw new NotSupportedException($"{prefix}: local folders are not listed as prefixes");

    public IByteSource Open(string name, SourceResolver scan) => new LocalFileSource(name);
}
