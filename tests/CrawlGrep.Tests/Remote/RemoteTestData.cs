namespace CrawlGrep.Tests.Remote;

/// <summary>Helpers shared by the tests of the remote fixtures: test data and reading bodies to their end.</summary>
internal static class RemoteTestData
{
    /// <summary>Deterministic pseudo-random bytes, so a wrong offset never matches by accident.</summary>
    public static byte[] Bytes(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    /// <summary>Reads a stream to its end, keeping what arrived before an exception (returned with it, not thrown).</summary>
    public static async Task<(byte[] Data, Exception? Error)> ReadAllAsync(Stream stream)
    {
        var copy = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0) copy.Write(buffer, 0, n);
            return (copy.ToArray(), null);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return (copy.ToArray(), e);
        }
    }
}
