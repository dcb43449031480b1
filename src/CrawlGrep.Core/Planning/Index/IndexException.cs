namespace CrawlGrep.Core.Planning.Index;

/// <summary>An index that cannot be read or a selection that cannot be made from it, said in one line (exit 2).</summary>
public sealed class IndexException(string message, Exception? inner = null) : Exception(message, inner);
