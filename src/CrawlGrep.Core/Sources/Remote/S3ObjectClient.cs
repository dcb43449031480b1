using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace CrawlGrep.Core.Sources.Remote;

/// <summary>An object in S3 (or an S3-compatible store), read with ranged GetObject calls through AWSSDK.S3.</summary>
public sealed class S3ObjectClient(IAmazonS3 s3, string bucket, string key) : IObjectClient
{
    public ObjectInfo Head(CancellationToken ct)
    {
        var meta = Call(() => s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key }, ct));
        return new ObjectInfo(meta.ContentLength, meta.ETag);
    }

    public RangeBody Get(long start, long end, string? etag, CancellationToken ct)
    {
        var request = new GetObjectRequest { BucketName = bucket, Key = key, ByteRange = new ByteRange(start, end - 1) };
        if (etag is not null) request.EtagToMatch = etag;
        var response = Call(() => s3.GetObjectAsync(request, ct));
        // A store that ignored the range would hand over other bytes than asked for: refuse them.
        if (start > 0 && !(response.ContentRange ?? "").StartsWith($"bytes {start}-", StringComparison.Ordinal))
        {
            response.Dispose();
            throw new RemoteException($"the store sent '{response.ContentRange}' for a request of bytes {start}-", (int)response.HttpStatusCode, transient: false);
        }
        return new RangeBody(response.ResponseStream, response.ETag);
    }

    /// <summary>The SDK's failures as <see cref="RemoteException"/>s: throttling and 5xx are transient, the rest are not.</summary>
    internal static T Call<T>(Func<Task<T>> call)
    {
        try { return call().GetAwaiter().GetResult(); }
        catch (AmazonS3Exception e) when (e.ErrorCode is "SlowDown" or "Throttling" or "ThrottlingException" or "RequestLimitExceeded" or "TooManyRequests")
        {
            throw new RemoteException($"{(int)e.StatusCode} {e.ErrorCode}", (int)e.StatusCode, transient: true, throttled: true, e);
        }
        catch (AmazonServiceException e) when (e.StatusCode != 0)
        {
            var r = RemoteException.FromStatus((int)e.StatusCode, string.IsNullOrEmpty(e.ErrorCode) ? null : e.ErrorCode);
            throw e.StatusCode == HttpStatusCode.NotFound
                ? new RemoteException(e.ErrorCode == "NoSuchBucket" ? "no such bucket (404)" : "no such object (404)", 404, transient: false, inner: e)
                : new RemoteException(r.Message, r.Status, r.Transient, r.Throttled, e);
        }
        catch (AmazonClientException e) when (e.Message.Contains("credentials", StringComparison.OrdinalIgnoreCase))
        {
            throw new RemoteException("no AWS credentials found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or AWS_PROFILE; " +
                                      "Common Crawl is also served without credentials at https://data.commoncrawl.org/)", null, transient: false, inner: e);
        }
        catch (AmazonClientException e) when (e.InnerException is HttpRequestException or IOException or System.Net.Sockets.SocketException or TaskCanceledException)
        {
            throw new RemoteException(e.InnerException!.Message, null, transient: true, inner: e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or System.Net.Sockets.SocketException)
        {
            throw new RemoteException(e.Message, null, transient: true, inner: e);
        }
    }
}
