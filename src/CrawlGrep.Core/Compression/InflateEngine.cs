namespace CrawlGrep.Core.Compression;

/// <summary>The library that inflates gzip members. Damaged and very large members are streamed through zlib-ng whatever the engine.</summary>
public enum InflateEngine
{
    /// <summary>The zlib-ng inside .NET (System.IO.Compression.Native), streaming: always there.</summary>
    Zlib,
    /// <summary>libdeflate (Debian libdeflate0), whole members: the default where installed.</summary>
    LibDeflate,
    /// <summary>Intel ISA-L's igzip (Debian libisal2), whole members: only when asked for, as it is slower on records.</summary>
    Isal,
}
