namespace CrawlGrep.Core.Matching;

/// <summary>One match inside a window, in byte offsets relative to the window.</summary>
public readonly record struct LineMatch(int Pattern, int Start, int Length, int LineStart, int LineEnd);
