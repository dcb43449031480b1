using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.S3;
using CrawlGrep.Core.Sources.Remote;

namespace CrawlGrep.Core.Sources;

/// <summary>
/// Turns an input name into its source, through the provider of its scheme (<see cref="SourceProviders"/>):
/// <c>s3://bucket/key</c>, <c>http(s)://</c>, else a local path. One resolver per scan: its sources share one
/// request pacer (the server's push-back slows the whole scan), one client per store and one connection pool.
/// </summary>
public sealed class SourceResolver : IDisposable
{
    // One client per provider per scan (an S3 client, an HTTP pool), made on first use and disposed with the scan.
    private readonly ConcurrentDictionary<Type, Lazy<object>> _clients = new();
    // One HEAD per object per scan: all the tasks of a file share its size and version.
    private readonly ConcurrentDictionary<string, Lazy<IByteSource>> _remote = new(StringComparer.Ordinal);

    /// <param name="s3Credentials">Credentials for s3:// (null: the SDK's standard chain: environment, profile, role).</param>
    public SourceResolver(RemoteOptions? options = null, AWSCredentials? s3Credentials = null)
    {
        Options = options ?? RemoteOptions.FromEnvironment();
        S3Credentials = s3Credentials;
    }

    public RemoteOptions Options { get; }
    public RequestPacer Pacer { get; } = new();
    public TransferCounters Counters { get; } = new();

    /// <summary>Credentials for s3://; null for the SDK's standard chain.</summary>
    public AWSCredentials? S3Credentials { get; }

    /// <summary>The S3 client for this scan's endpoint and region.</summary>
    public IAmazonS3 S3 => S3Provider.Client(this);

    /// <summary>Whether <paramref name="name"/> is a prefix whose objects <see cref="List"/> can name (<c>s3://bucket/prefix/</c>).</summary>
    public bool CanList(string name) => SourceProviders.For(name).CanList(name);

    /// <summary>The source behind <paramref name="name"/>. Throws <see cref="IOException"/> (FileNotFoundException for a missing local file) when it cannot be read.</summary>
    public IByteSource Open(string name)
    {
        var provider = SourceProviders.For(name);
        if (!provider.IsRemote) return provider.Open(name, this);
        var lazy = _remote.GetOrAdd(name, n => new Lazy<IByteSource>(() =>
        {
            EnsureSpareThreads();
            return provider.Open(n, this);
        }));
        try { return lazy.Value; }
        catch (IOException)
        {
            _remote.TryRemove(new(name, lazy)); // a failed lookup is tried afresh next time (a resume, a later task)
            throw;
        }
    }

    /// <summary>
    /// The archives under a prefix (<see cref="CanList"/>), in key order. Their sizes and versions are kept, so
    /// opening them later costs no HEAD. Throws <see cref="IOException"/> when the listing fails.
    /// </summary>
    public IReadOnlyList<string> List(string prefix)
    {
        var provider = SourceProviders.For(prefix);
        if (provider.IsRemote) EnsureSpareThreads();
        var names = new List<string>();
        foreach (var source in provider.List(prefix, this))
        {
            if (!LooksLikeArchiveName(source.Name)) continue;
            names.Add(source.Name);
            if (provider.IsRemote) _remote.TryAdd(source.Name, new Lazy<IByteSource>(source));
        }
        return names;
    }

    /// <summary>This scan's one client of the provider <paramref name="owner"/>, made by <paramref name="create"/> on first use and disposed with the resolver.</summary>
    public T Client<T>(Type owner, Func<T> create) where T : class =>
        (T)_clients.GetOrAdd(owner, _ => new Lazy<object>(create)).Value;

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
        foreach (var client in _clients.Values)
            if (client.IsValueCreated && client.Value is IDisposable disposable) disposable.Dispose();
    }
}
