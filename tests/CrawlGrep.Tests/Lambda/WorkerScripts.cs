using System.Diagnostics;

namespace CrawlGrep.Tests.Lambda;

/// <summary>
/// Small Lambda workers in Python (standard library only) for the emulator's own tests, while the real worker is
/// written elsewhere: one Runtime API loop shared by all, and one handler per behaviour a test needs.
/// </summary>
internal static class WorkerScripts
{
    private const string RuntimeLoop = """
        import json, os, subprocess, sys, time, urllib.error, urllib.request

        API = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime"

        def post(path, data, headers=None):
            request = urllib.request.Request(API + path, data=data, method="POST", headers=headers or {})
            try:
                with urllib.request.urlopen(request) as r:
                    return r.status
            except urllib.error.HTTPError as e:
                return e.code

        def serve(handle):
            count = 0
            while True:
                with urllib.request.urlopen(API + "/invocation/next") as r:
                    headers = {k.lower(): v for k, v in r.headers.items()}
                    event = r.read()
                rid = headers["lambda-runtime-aws-request-id"]
                count += 1
                try:
                    out = handle(event, headers, count)
                except Exception as e:
                    body = json.dumps({"errorType": type(e).__name__, "errorMessage": str(e)}).encode()
                    post("/invocation/" + rid + "/error", body, {"Lambda-Runtime-Function-Error-Type": "Unhandled"})
                    continue
                status = post("/invocation/" + rid + "/response", out)
                print("response status " + str(status), flush=True)

        """;

    /// <summary>Returns the event unchanged and logs a line with its size.</summary>
    public const string Echo = RuntimeLoop + """
        def handle(event, headers, count):
            print("echo: " + str(len(event)) + " bytes, invocation " + str(count) + " of pid " + str(os.getpid()), flush=True)
            return event

        serve(handle)
        """;

    /// <summary>
    /// Returns what the worker sees: pid, count of invocations in this process, the /next headers and the
    /// environment. The event may ask it to sleep, to wait until a file exists, or to start a child process.
    /// </summary>
    public const string Inspect = RuntimeLoop + """
        def handle(event, headers, count):
            ask = json.loads(event or b"{}")
            child = None
            if ask.get("spawn"):
                child = subprocess.Popen(["sleep", "300"]).pid
            if ask.get("waitFor"):
                while not os.path.exists(ask["waitFor"]):
                    time.sleep(0.02)
            time.sleep(ask.get("sleep", 0))
            print("inspect: invocation " + str(count) + " of pid " + str(os.getpid()), flush=True)
            return json.dumps({"pid": os.getpid(), "count": count, "child": child, "headers": headers, "env": dict(os.environ)}).encode()

        serve(handle)
        """;

    /// <summary>Raises, so the loop posts /error with {"errorType":"ValueError",...}.</summary>
    public const string Failing = RuntimeLoop + """
        def handle(event, headers, count):
            print("failing on purpose", flush=True)
            raise ValueError("cannot handle " + event.decode())

        serve(handle)
        """;

    /// <summary>Exits with status 1 in the middle of its first invocation.</summary>
    public const string ExitsMidInvocation = RuntimeLoop + """
        def handle(event, headers, count):
            if json.loads(event or b"{}").get("exit"):
                print("exiting mid-invocation", flush=True)
                os._exit(1)
            return event

        serve(handle)
        """;

    /// <summary>Sleeps far past any timeout a test sets, unless the event says {"quick":true}.</summary>
    public const string SleepsPastTimeout = RuntimeLoop + """
        def handle(event, headers, count):
            if not json.loads(event or b"{}").get("quick"):
                print("sleeping", flush=True)
                time.sleep(120)
            return event

        serve(handle)
        """;

    /// <summary>Returns a JSON string of the size the event asks for ({"size":N}); its 413 from the Runtime API is logged.</summary>
    public const string Oversized = RuntimeLoop + """
        def handle(event, headers, count):
            size = json.loads(event)["size"]
            return b'"' + b"x" * size + b'"'

        serve(handle)
        """;

    /// <summary>
    /// Spins a CPU loop of the length the event asks for ({"spin":N}) and returns how long it took by the wall clock
    /// and in CPU time: the same work whatever happens to the process meanwhile.
    /// </summary>
    public const string CpuLoop = RuntimeLoop + """
        def handle(event, headers, count):
            spin = json.loads(event)["spin"]
            wall, cpu = time.monotonic(), time.process_time()
            x = 0
            for i in range(spin):
                x += i * i
            return json.dumps({"wall": time.monotonic() - wall, "cpu": time.process_time() - cpu}).encode()

        serve(handle)
        """;

    /// <summary>Fails its initialisation: posts /init/error before asking for any invocation, then exits.</summary>
    public const string InitError = RuntimeLoop + """
        print("init: configuration missing", flush=True)
        body = json.dumps({"errorType": "Runtime.ConfigError", "errorMessage": "CRAWLGREP_CONFIG is not set"}).encode()
        post("/init/error", body, {"Lambda-Runtime-Function-Error-Type": "Runtime.ConfigError"})
        sys.exit(2)
        """;

    private static readonly Lazy<string> Python = new(FindPython);

    /// <summary>Writes the script into folder and returns the command that runs it (unbuffered output).</summary>
    public static WorkerCommand Write(string folder, string name, string script)
    {
        string path = Path.Combine(folder, name + ".py");
        File.WriteAllText(path, script.Replace("\r\n", "\n"));
        return new WorkerCommand(Python.Value, "-u", path);
    }

    /// <summary>
    /// The python3 interpreter itself, not a shim in front of it (pyenv's need variables a worker does not get).
    /// </summary>
    private static string FindPython()
    {
        var psi = new ProcessStartInfo("python3") { RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("import sys; print(sys.executable)");
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("python3 did not start");
        string path = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        if (process.ExitCode != 0 || !File.Exists(path)) throw new InvalidOperationException($"python3 did not say where it is (exit {process.ExitCode})");
        return path;
    }
}
