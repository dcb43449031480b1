using System.Security.Cryptography;
using System.Text;
using CrawlGrep.Core.Execution;

namespace CrawlGrep.Core.Results;

/// <summary>
/// One row of <c>tasks</c>: the outcome of one unit of work (a byte range of one source), and what Lambda billed for
/// it (<see cref="Billing"/>: null for a task run on the local cores).
/// </summary>
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
    DateTime? FinishedAt,
    TaskBilling? Billing = null)
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
