using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using CrawlGrep.Core.Sources.Remote;

namespace CrawlGrep.Core.Sources;

/// <summary>
/// Turns an input name into its source: <c>s3://bucket/key</c> (AWSSDK.S3, the standard credential chain, or an
/// S3-compatible endpoint), <c>http(s)://</c> (range requests), else a local path. One resolver per scan: its
/// sources share one request pacer (the server's push-back slows the whole scan), one S3 client and one
/// connection pool.
/// </summary>
public sealed class SourceResolver : IDisposable
{
    private readonly Lazy<IAmazonS3> _s3;
    private readonly Lazy<HttpClient> _http;
    // One HEAD per object per scan: all the tasks of a file share its size and version.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<RemoteSource>> _remote = new(StringComparer.Ordinal);

    private readonly AWSCredentials? _credentials;

    /// <param name="s3Credentials">Credentials for s3:// (null: the SDK's standard chain: environment, profile, role).</param>
    public SourceResolver(RemoteOptions? options = null, AWSCredentials? s3Credentials = null)
    {
        Options = options ?? RemoteOptions.FromEnvironment();
        _credentials = s3Credentials;
        _s3 = new Lazy<IAmazonS3>(CreateS3Client);
        _http = new Lazy<HttpClient>(CreateHttpClient);
    }

    public RemoteOptions Options { get; }
    public RequestPacer Pacer { get; } = new();
    public TransferCounters Counters { get; } = new();

    public static bool IsS3(string name) => name.StartsWith("s3://", StringComparison.OrdinalIgnoreCase);
    public static bool IsHttp(string name) => name.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || name.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
    public static bool IsRemote(string name) => IsS3(name) || IsHttp(name);

    /// <summary>The source behind <paramref name="name"/>. Throws <see cref="IOException"/> (FileNotFoundException for a missing local file) when it cannot be read.</summary>
    public IByteSource Open(string name)
    {
        if (!IsRemote(name)) return new LocalFileSource(name);
        var lazy = _remote.GetOrAdd(name, n => new Lazy<RemoteSource>(() => OpenRemote(n)));
        try { return lazy.Value; }
        catch (IOException)
        {
            _remote.TryRemove(new(name, lazy)); // a failed lookup is tried afresh next time (a resume, a later task)
            throw;
        }
    }

    private RemoteSource OpenRemote(string name)
    {
        EnsureSpareThreads();
        if (IsS3(name))
        {
            var (bucket, key) = ParseS3(name);
            return new RemoteSource(name, new S3ObjectClient(_s3.Value, bucket, key), Options, Pacer, Counters);
        }
        if (!Uri.TryCreate(name, UriKind.Absolute, out var url)) throw new IOException("not a valid URL");
        return new RemoteSource(name, new HttpObjectClient(_http.Value, url), Options, Pacer, Counters);
    }

    /// <summary>
    /// The archives under an <c>s3://bucket/prefix/</c> (a name ending in '/'), in key order, from ListObjectsV2
    /// (a thousand keys a call). Their sizes and versions are kept, so opening them later costs no HEAD.
    /// </summary>
    public IReadOnlyList<string> ListS3(string prefixUrl)
    {
        var (bucket, prefix) = SplitS3(prefixUrl);
        if (bucket.Length == 0) throw new IOException("an S3 URL names a bucket: s3://BUCKET/PREFIX/");
        EnsureSpareThreads();
        var names = new List<string>();
        var request = new Amazon.S3.Model.ListObjectsV2Request { BucketName = bucket, Prefix = prefix };
        while (true)
        {
            var page = RetryingRequest.Run(Options, Pacer, Counters, ct => S3ObjectClient.Call(() => _s3.Value.ListObjectsV2Async(request, ct)));
            foreach (var o in page.S3Objects ?? [])
            {
                if (o.Key.EndsWith('/') || !LooksLikeArchiveName(o.Key)) continue;
                string name = $"s3://{bucket}/{o.Key}";
                names.Add(name);
                var client = new S3ObjectClient(_s3.Value, bucket, o.Key);
                var known = new RemoteSource(name, client, new ObjectInfo(o.Size ?? 0, o.ETag), Options, Pacer, Counters);
                _remote.TryAdd(name, new Lazy<RemoteSource>(known));
            }
            if (page.IsTruncated != true || string.IsNullOrEmpty(page.NextContinuationToken)) break;
            request.ContinuationToken = page.NextContinuationToken;
        }
        return names;
    }

    /// <summary>Names of web archives (WARC, WET, WAT; compressed or not): what a listing of a prefix is narrowed to.</summary>
    public static bool LooksLikeArchiveName(string key)
    {
        string name = key[(key.LastIndexOf('/') + 1)..].ToLowerInvariant();
        foreach (var ext in new[] { ".gz", ".zst" }) if (name.EndsWith(ext)) name = name[..^ext.Length];
        return name.EndsWith(".warc") || name.EndsWith(".wet") || name.EndsWith(".wat");
    }

    /// <summary>
    /// Scan workers wait on requests whose completions run on the thread pool; a pool no bigger than the workers
    /// would add a thread only after its starvation delay (half a second, per request). So keep spares.
    /// </summary>
    private static void EnsureSpareThreads()
    {
        ThreadPool.GetMinThreads(out int workers, out int io);
        int want = Math.Max(64, Environment.ProcessorCount * 8);
        if (workers < want) ThreadPool.SetMinThreads(want, Math.Max(io, want));
    }

    /// <summary>Bucket and key of an s3:// URL.</summary>
    public static (string Bucket, string Key) ParseS3(string name)
    {
        var (bucket, key) = SplitS3(name);
        if (bucket.Length == 0 || key.Length == 0) throw new IOException("an S3 URL names a bucket and a key: s3://BUCKET/KEY");
        return (bucket, key);
    }

    /// <summary>An s3:// URL cut at the first slash after the scheme: the bucket, and the rest (a key or a prefix; empty when none).</summary>
    private static (string Bucket, string KeyOrPrefix) SplitS3(string url)
    {
        string rest = url[5..];
        int slash = rest.IndexOf('/');
        return slash < 0 ? (rest, "") : (rest[..slash], rest[(slash + 1)..]);
    }

    /// <summary>The S3 client for this scan's endpoint and region.</summary>
    public IAmazonS3 S3 => _s3.Value;

    private IAmazonS3 CreateS3Client()
    {
        var config = new AmazonS3Config
        {
            MaxErrorRetry = 0, // retries are ours: they share the scan's pacer and resume bodies where they broke
            Timeout = Options.ReadTimeout,
            // Ranged reads carry no whole-object checksum to check; each gzip member's CRC is checked instead.
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        };
        string? region = Options.Region ?? Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION");
        if (Options.S3Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = region ?? "us-east-1";
        }
        else config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region ?? "us-east-1");
        return _credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(_credentials, config);
    }

    private static HttpClient CreateHttpClient() => new(new SocketsHttpHandler
    {
        AutomaticDecompression = DecompressionMethods.None, // the bytes as stored: offsets are offsets in the file
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(30),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan, // bodies are watched per read instead: a long scan is not a slow one
        DefaultRequestHeaders = { { "User-Agent", "crawlgrep (+https://github.com/crawlgrep)" } },
    };

    /// <summary>
    /// Whether AWS credentials are configured: keys in the environment (as on Lambda), a web identity or container
    /// role, or a profile. Read from the environment and files only: asking an instance-metadata service that is
    /// not there costs seconds of timeouts on every machine outside AWS.
    /// </summary>
    public static bool HasAwsCredentials()
    {
        static bool Set(string v) => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v));
        if (Set("AWS_ACCESS_KEY_ID") || Set("AWS_WEB_IDENTITY_TOKEN_FILE") || Set("AWS_CONTAINER_CREDENTIALS_FULL_URI")
            || Set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") || Set("AWS_PROFILE")) return true;
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string credentials = Environment.GetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE") ?? Path.Combine(home, ".aws", "credentials");
        return home.Length > 0 && File.Exists(credentials);
    }

    public void Dispose()
    {
        if (_s3.IsValueCreated) _s3.Value.Dispose();
        if (_http.IsValueCreated) _http.Value.Dispose();
    }
}
