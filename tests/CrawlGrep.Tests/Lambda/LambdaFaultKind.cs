namespace CrawlGrep.Tests.Lambda;

/// <summary>What a <see cref="LambdaFault"/> does to the invocation it matches.</summary>
public enum LambdaFaultKind
{
    /// <summary>SIGKILL the worker's process tree: the invocation ends with Runtime.ExitError ("signal: killed").</summary>
    KillWorker,

    /// <summary>SIGSTOP the worker: it hangs until the function timeout kills it (Sandbox.Timedout).</summary>
    StopWorker,

    /// <summary>Run the invocation to its end, then reset the caller's connection instead of answering: a response lost in transit.</summary>
    DropResponse,

    /// <summary>
    /// Run the worker's process tree at 1/Factor of its speed while the invocation runs (SIGSTOP and SIGCONT in turn),
    /// then at full speed again: a straggler, whose REPORT Duration shows its slow run.
    /// </summary>
    SlowWorker,
}
