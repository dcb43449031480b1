namespace CrawlGrep.Core.Warc;

/// <summary>WARC-Type values of WARC/1.1 (and 0.17/0.18); anything else is <see cref="Other"/>.</summary>
public enum WarcRecordType
{
    Missing, Warcinfo, Response, Resource, Request, Metadata, Revisit, Conversion, Continuation, Other,
}

public static class WarcRecordTypes
{
    public static WarcRecordType Parse(ReadOnlySpan<byte> v)
    {
        if (v.IsEmpty) return WarcRecordType.Missing;
        // Lower-case compare without allocating; types are short ASCII words.
        Span<byte> low = stackalloc byte[16];
        if (v.Length > low.Length) return WarcRecordType.Other;
        for (int i = 0; i < v.Length; i++) low[i] = (byte)(v[i] is >= (byte)'A' and <= (byte)'Z' ? v[i] | 0x20 : v[i]);
        ReadOnlySpan<byte> l = low[..v.Length];
        if (l.SequenceEqual("response"u8)) return WarcRecordType.Response;
        if (l.SequenceEqual("request"u8)) return WarcRecordType.Request;
        if (l.SequenceEqual("metadata"u8)) return WarcRecordType.Metadata;
        if (l.SequenceEqual("warcinfo"u8)) return WarcRecordType.Warcinfo;
        if (l.SequenceEqual("resource"u8)) return WarcRecordType.Resource;
        if (l.SequenceEqual("revisit"u8)) return WarcRecordType.Revisit;
        if (l.SequenceEqual("conversion"u8)) return WarcRecordType.Conversion;
        if (l.SequenceEqual("continuation"u8)) return WarcRecordType.Continuation;
        return WarcRecordType.Other;
    }

    public static string Name(WarcRecordType t) => t switch
    {
        WarcRecordType.Warcinfo => "warcinfo",
        WarcRecordType.Response => "response",
        WarcRecordType.Resource => "resource",
        WarcRecordType.Request => "request",
        WarcRecordType.Metadata => "metadata",
        WarcRecordType.Revisit => "revisit",
        WarcRecordType.Conversion => "conversion",
        WarcRecordType.Continuation => "continuation",
        _ => "",
    };
}
