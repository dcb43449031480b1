using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using CrawlGrep.Tests.Conformance;
using Xunit.Abstractions;

namespace CrawlGrep.Tests.Remote;

/// <summary>
/// A local S3 server (the npm package s3rver, which scripts/test.sh installs into artifacts/tools) for the tests
/// of S3 sources: one process per test collection, on 127.0.0.1, with its data in a temporary folder.
/// The binary is CRAWLGREP_S3RVER, else artifacts/tools/node_modules/.bin/s3rver above the test binary.
/// When it is missing a test fails if CI=true (or the variable names a missing file) and otherwise passes saying SKIPPED: tests call
/// <see cref="Require"/> first and end when it returns null. The server starts at the first Require.
/// </summary>
public sealed partial class S3rver : IDisposable
{
    public const string EnvVar = "CRAWLGREP_S3RVER";

    /// <summary>s3rver accepts only this key pair (it checks SigV4 signatures).</summary>
    public const string AccessKey = "S3RVER";

    public const string SecretKey = "S3RVER";

    public const string Region = "us-east-1";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private static readonly Lazy<(string? Path, string Problem)> Located = new(Locate);

    private readonly object _gate = new();
    private readonly StringBuilder _stderr = new();
    private Process? _process;
    private string? _directory;
    private string? _endpoint;
    private AmazonS3Client? _client;
    private Exception? _startError;

    /// <summary>The s3rver executable, or null when it was not found.</summary>
    public static string? Executable => Located.Value.Path;

    /// <summary>"http://127.0.0.1:PORT".</summary>
    public string Endpoint => _endpoint ?? throw new InvalidOperationException("s3rver is not running: call Require first");

    /// <summary>A client of this server (path-style addressing, checksums only where S3 requires them).</summary>
    public IAmazonS3 Client => _client ?? throw new InvalidOperationException("s3rver is not running: call Require first");

    /// <summary>
    /// This server, started if it was not; null when s3rver is missing and the test should end without checking
    /// anything. Fails the test when CI=true and s3rver is missing, or when it is found but does not start.
    /// </summary>
    public S3rver? Require(ITestOutputHelper output)
    {
        if (Executable is null)
        {
            string problem = Located.Value.Problem;
            // A variable that points nowhere is a mistake to report, as with CRAWLGREP_REAL_DATA.
            bool envSet = !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EnvVar));
            if (RealData.IsCi || envSet) Assert.Fail($"{problem}{(RealData.IsCi ? ". CI=true, so this is a failure." : "")}");
            output.WriteLine($"SKIPPED: {problem}");
            return null;
        }
        lock (_gate)
        {
            if (_startError is null && _process is null)
            {
                try { Start(Executable); }
                catch (Exception e) { _startError = e; }
            }
            if (_startError is not null) Assert.Fail($"s3rver did not start: {_startError.Message}");
        }
        return this;
    }

    /// <summary>A client config for an S3-compatible endpoint such as this one (or a proxy in front of it).</summary>
    public static AmazonS3Config ClientConfig(string serviceUrl) => new()
    {
        ServiceURL = serviceUrl,
        ForcePathStyle = true,
        AuthenticationRegion = Region,
        // SDK v4 adds CRC checksums to every upload and validates them on every download by default;
        // s3rver 3.7 predates x-amz-checksum-* and rejects the trailer-framed uploads that come with them.
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    };

    /// <summary>A new client of this server through another endpoint (e.g. a <see cref="FaultProxy"/> in front of it).</summary>
    public AmazonS3Client ClientFor(string serviceUrl, Action<AmazonS3Config>? configure = null)
    {
        var config = ClientConfig(serviceUrl);
        configure?.Invoke(config);
        return new AmazonS3Client(new BasicAWSCredentials(AccessKey, SecretKey), config);
    }

    /// <summary>Creates the bucket; a bucket that already exists is fine.</summary>
    public void CreateBucket(string bucket)
    {
        try
        {
            Client.PutBucketAsync(new PutBucketRequest { BucketName = bucket }).GetAwaiter().GetResult();
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists") { }
    }

    public void Upload(string bucket, string key, string localFile) =>
        Put(new PutObjectRequest { BucketName = bucket, Key = key, FilePath = localFile });

    public void Upload(string bucket, string key, byte[] data) =>
        Put(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(data, writable: false), AutoCloseStream = true });

    public void Dispose()
    {
        _client?.Dispose();
        if (_process is { } process)
        {
            try
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
            catch (InvalidOperationException) { }
            process.Dispose();
        }
        if (_directory is not null)
        {
            try { Directory.Delete(_directory, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    private void Put(PutObjectRequest request)
    {
        // A plain signed body with Content-Length: SDK v4 otherwise sends aws-chunked bodies
        // (STREAMING-...-PAYLOAD-TRAILER), which s3rver stores with the chunk framing in them.
        request.UseChunkEncoding = false;
        Client.PutObjectAsync(request).GetAwaiter().GetResult();
    }

    private void Start(string executable)
    {
        _directory = Directory.CreateTempSubdirectory("crawlgrep-s3rver-").FullName;
        // Port 0: s3rver binds a free port itself and prints it ("S3rver listening on 127.0.0.1:PORT",
        // even with --silent), so there is no race with another process taking a port picked here.
        var psi = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { "--address", "127.0.0.1", "--port", "0", "--directory", _directory, "--silent" })
            psi.ArgumentList.Add(a);
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            if (ListeningLine().Match(e.Data) is { Success: true } m) listening.TrySetResult(int.Parse(m.Groups[1].Value));
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stderr) _stderr.AppendLine(e.Data);
        };
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("s3rver exited"));
        try
        {
            process.Start();
        }
        catch (Exception e)
        {
            process.Dispose();
            throw new InvalidOperationException($"{executable} could not be run ({e.Message}); is node installed?", e);
        }
        _process = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var clock = Stopwatch.StartNew();
        int port;
        try
        {
            if (!listening.Task.Wait(StartTimeout)) throw new TimeoutException();
            port = listening.Task.Result;
        }
        catch (Exception e) when (e is TimeoutException or AggregateException)
        {
            string why = process.HasExited ? $"it exited with code {process.ExitCode}" : $"it did not report its port within {StartTimeout.TotalSeconds:0} s";
            throw new InvalidOperationException($"{executable}: {why}. stderr: {Stderr()}");
        }
        _endpoint = $"http://127.0.0.1:{port}";
        WaitUntilAnswering(clock, executable);
        _client = ClientFor(_endpoint);
    }

    /// <summary>Polls the endpoint until it answers HTTP (any status), within what is left of the start timeout.</summary>
    private void WaitUntilAnswering(Stopwatch clock, string executable)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        Exception? last = null;
        while (clock.Elapsed < StartTimeout)
        {
            if (_process!.HasExited) break;
            try
            {
                using var response = http.GetAsync(_endpoint + "/").GetAwaiter().GetResult();
                if (response.StatusCode != 0) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { last = e; }
            Thread.Sleep(50);
        }
        throw new InvalidOperationException($"{executable} at {_endpoint} did not answer within {StartTimeout.TotalSeconds:0} s" +
                                            $" ({last?.Message ?? "it exited"}). stderr: {Stderr()}");
    }

    private string Stderr()
    {
        lock (_stderr) return _stderr.Length == 0 ? "(empty)" : _stderr.ToString().Trim();
    }

    private static (string? Path, string Problem) Locate()
    {
        string name = OperatingSystem.IsWindows() ? "s3rver.cmd" : "s3rver";
        string? env = Environment.GetEnvironmentVariable(EnvVar);
        if (!string.IsNullOrWhiteSpace(env))
        {
            return File.Exists(env)
                ? (Path.GetFullPath(env), "")
                : (null, $"{EnvVar} is set to '{env}', but there is no such file");
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "artifacts", "tools", "node_modules", ".bin", name);
            if (File.Exists(candidate)) return (candidate, "");
            // The repository root: stop there.
            if (File.Exists(Path.Combine(dir.FullName, "CrawlGrep.sln"))) break;
        }
        return (null, $"s3rver was not found: scripts/test.sh installs it (npm install --prefix artifacts/tools s3rver@3.7.1), " +
                      $"or set {EnvVar} to its executable");
    }

    [GeneratedRegex(@"listening on [^\s]+:(\d+)")]
    private static partial Regex ListeningLine();
}
