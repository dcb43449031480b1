namespace CrawlGrep.Tests.Remote;

/// <summary>Tests in this collection share one s3rver process (starting one takes about a second).</summary>
[CollectionDefinition(Name)]
public sealed class S3rverCollection : ICollectionFixture<S3rver>
{
    public const string Name = "s3rver";
}
