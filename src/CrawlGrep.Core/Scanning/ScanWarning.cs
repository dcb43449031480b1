namespace CrawlGrep.Core.Scanning;

/// <summary>A damaged record or region: reported once, counted, and the scan goes on.</summary>
public sealed record ScanWarning(string File, long Offset, string Message)
{
    public override string ToString() => $"{File}: offset {Offset}: {Message}";
}
