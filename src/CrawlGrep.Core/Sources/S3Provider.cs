using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using CrawlGrep.Core.Sources.Remote;

namespace CrawlGrep.Core.Sources;

/// <summary>
/// <c>s3://bucket/key</c> objects and <c>s3://bucket/prefix/</c> listings, through AWSSDK.S3 (the standard
/// credential chain, or an S3-compatible endpoint) with one client per scan.
/// </summary>
public sealed class S3Provider : ISourceProvider
{
    private const string Scheme = "s3://";

    public bool Handles(string name) => name.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    public bool IsRemote => true;

    public bool CanList(string name) => Handles(name) && name.EndsWith('/');

    /// <summary>The objects under the prefix from ListObjectsV2 (a thousand keys a call), with their sizes and versions.</summary>
    public IReadOnlyList<IByteSource> List(string prefix, SourceResolver scan)
    {
        var (bucket, keyPrefix) = Split(prefix);
        if (bucket.Length == 0) throw new IOException("an S3 URL names a bucket: s3://BUCKET/PREFIX/");
        var s3 = Client(scan);
        var sources = new List<IByteSource>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = keyPrefix };
        while (true)
        {
            var page = RetryingRequest.Run(scan.Options, scan.Pacer, scan.Counters, ct => S3ObjectClient.Call(() => s3.ListObjectsV2Async(request, ct)));
            foreach (var o in page.S3Objects ?? [])
            {
                if (o.Key.EndsWith('/')) continue; // a folder marker, not an object
                var client = new S3ObjectClient(s3, bucket, o.Key);
                sources.Add(new RemoteSource($"s3://{bucket}/{o.Key}", client, new ObjectInfo(o.Size ?? 0, o.ETag), scan.Options, scan.Pacer, scan.Counters));
            }
            if (page.IsTruncated != true || string.IsNullOrEmpty(page.NextContinuationToken)) break;
            request.ContinuationToken = page.NextContinuationToken;
        }
        return sources;
    }

    public IByteSource Open(string name, SourceResolver scan)
    {
        var (bucket, key) = ParseS3(name);
        return new RemoteSource(name, new S3ObjectClient(Client(scan), bucket, key), scan.Options, scan.Pacer, scan.Counters);
    }

    /// <summary>The scan's S3 client, for its endpoint and region; made on first use.</summary>
    public static IAmazonS3 Client(SourceResolver scan) => scan.Client(typeof(S3Provider), () => CreateClient(scan.Options, scan.S3Credentials));

    /// <summary>Bucket and key of an s3:// URL.</summary>
    public static (string Bucket, string Key) ParseS3(string name)
    {
        var (bucket, key) = Split(name);
        if (bucket.Length == 0 || key.Length == 0) throw new IOException("an S3 URL names a bucket and a key: s3://BUCKET/KEY");
        return (bucket, key);
    }

    /// <summary>Whether <paramref name="name"/> is an s3:// URL that names a bucket (with a key or prefix, or none).</summary>
    public static bool NamesBucket(string name) =>
        name.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) && Split(name).Bucket.Length > 0;

    /// <summary>An s3:// URL cut at the first slash after the scheme: the bucket, and the rest (a key or a prefix; empty when none).</summary>
    private static (string Bucket, string KeyOrPrefix) Split(string url)
    {
        string rest = url[Scheme.Length..];
        int slash = rest.IndexOf('/');
        return slash < 0 ? (rest, "") : (rest[..slash], rest[(slash + 1)..]);
    }

    private static IAmazonS3 CreateClient(RemoteOptions options, AWSCredentials? credentials)
    {
        var config = new AmazonS3Config
        {
            MaxErrorRetry = 0, // retries are ours: they share the scan's pacer and resume bodies where they broke
            Timeout = options.ReadTimeout,
            // Ranged reads carry no whole-object checksum to check; each gzip member's CRC is checked instead.
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        };
        string? region = options.Region ?? Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION");
        if (options.S3Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = region ?? "us-east-1";
        }
        else config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region ?? "us-east-1");
        return credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
    }
}
