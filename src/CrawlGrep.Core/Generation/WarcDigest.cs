using System.Security.Cryptography;

namespace CrawlGrep.Core.Generation;

/// <summary>WARC digests in the form Common Crawl writes them: <c>sha1:</c> followed by the RFC 4648 base32 SHA-1.</summary>
public static class WarcDigest
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /// <summary>The digest of an empty block or payload.</summary>
    public const string EmptySha1 = "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ";

    public static string Sha1(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(data, hash);
        return "sha1:" + Base32(hash);
    }

    /// <summary>RFC 4648 base32 without padding for inputs whose length is a multiple of 5 (a SHA-1 is 20 bytes).</summary>
    public static string Base32(ReadOnlySpan<byte> data)
    {
        if (data.Length % 5 != 0) throw new ArgumentException("length must be a multiple of 5", nameof(data));
        Span<char> chars = stackalloc char[data.Length / 5 * 8];
        int c = 0;
        for (int i = 0; i < data.Length; i += 5)
        {
            ulong v = ((ulong)data[i] << 32) | ((ulong)data[i + 1] << 24) | ((ulong)data[i + 2] << 16) | ((ulong)data[i + 3] << 8) | data[i + 4];
            for (int shift = 35; shift >= 0; shift -= 5)
                chars[c++] = Alphabet[(int)((v >> shift) & 31)];
        }
        return new string(chars);
    }
}
