using System.Security.Cryptography;
using System.Text;

namespace CrawlGrep.Core.Results;

/// <summary>One row of <c>tasks</c>: the outcome of one unit of work (a byte range of one source).</summary>
public sealed record TaskRecord(
    string TaskId,
    string Source,
    long RangeStart,
    long RangeEnd,
    string Format,
    string Status,
    string? Error,
    long Records,
    long Hits,
    long CompressedBytes,
    DateTime? StartedAt,
    DateTime? FinishedAt)
{
    public const string Done = "done";
    public const string Failed = "failed";

    /// <summary>A short, stable id of a task: the first 8 bytes (16 hex digits) of SHA-256 over source and range.</summary>
    public static string ComputeId(string source, long rangeStart, long rangeEnd)
    {
        var bytes = Encoding.UTF8.GetBytes($"{source}\n{rangeStart}\n{rangeEnd}");
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(bytes, hash);
        return Convert.ToHexStringLower(hash[..8]);
    }
}
