namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// What an emulator test owns: a folder for its worker script and gate files, and the emulators and callers it
/// started, all disposed with it (emulators last-started first, so no worker outlives the test).
/// </summary>
internal sealed class EmulatorHarness : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    public DirectoryInfo Folder { get; } = Directory.CreateTempSubdirectory("crawlgrep-lambda-");

    /// <summary>An emulator running a Python worker script (see <see cref="WorkerScripts"/>), and a caller of it.</summary>
    public (LambdaEmulator Emulator, TestLambdaClient Client) Start(string script, Func<EmulatorOptions, EmulatorOptions>? configure = null,
        int concurrency = 2, double timeoutSeconds = 2)
    {
        var options = new EmulatorOptions
        {
            Command = WorkerScripts.Write(Folder.FullName, "worker", script),
            TaskRoot = Folder.FullName,
            Concurrency = concurrency,
            Timeout = TimeSpan.FromSeconds(timeoutSeconds),
        };
        var emulator = new LambdaEmulator(configure is null ? options : configure(options));
        var client = new TestLambdaClient(emulator);
        _owned.Add(emulator);
        _owned.Add(client);
        return (emulator, client);
    }

    /// <summary>A path in the folder that a held invocation ({"waitFor": path}) waits for; <see cref="Open"/> releases it.</summary>
    public string Gate(string name) => Path.Combine(Folder.FullName, name);

    public void Open(string gate) => File.WriteAllText(gate, "");

    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        Folder.Delete(recursive: true);
    }
}
