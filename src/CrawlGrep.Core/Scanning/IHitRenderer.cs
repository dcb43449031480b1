namespace CrawlGrep.Core.Scanning;

/// <summary>
/// A printer whose output for a hit can be made on the scanning thread that found it, ahead of the hit's turn: the
/// formatting (most of what printing costs) then runs on every core, and only the copying out waits for file order.
/// </summary>
public interface IHitRenderer
{
    /// <summary>A renderer for the hits of one task: used by one thread at a time, with state of its own.</summary>
    ITaskRenderer ForTask();

    /// <summary>Writes out what a task renderer made of one or more hits, in their turn (one caller at a time).</summary>
    void Write(ReadOnlySpan<byte> rendered);
}

/// <summary>Makes the output of one task's hits (see <see cref="IHitRenderer"/>).</summary>
public interface ITaskRenderer
{
    /// <summary>What is printed for <paramref name="hit"/>: bytes valid until the next call.</summary>
    ReadOnlySpan<byte> Render(Hit hit);
}
