using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace CrawlGrep.Tests.Remote;

/// <summary>
/// The socket side of the test servers: listens on 127.0.0.1 (a free port), serves each connection on a task of its
/// own, and on Dispose stops listening and closes every connection still open, so no test leaves one behind.
/// </summary>
internal sealed class LoopbackListener : IDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    private readonly Func<Socket, CancellationToken, Task> _serve;
    private readonly Task _acceptLoop;

    public LoopbackListener(Func<Socket, CancellationToken, Task> serve, int backlog = 128)
    {
        _serve = serve;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(backlog);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    /// <summary>Sockets to close on Dispose besides the accepted ones (a proxy's upstream connections).</summary>
    public ConcurrentDictionary<Socket, byte> Open => _open;

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try { socket = await _listener.AcceptSocketAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            _open[socket] = 0;
            _ = Task.Run(async () =>
            {
                try { await _serve(socket, _stop.Token); }
                catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException) { }
                finally
                {
                    _open.TryRemove(socket, out _);
                    socket.Dispose();
                }
            });
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        foreach (var socket in _open.Keys) socket.Dispose();
        try { _acceptLoop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _stop.Dispose();
    }
}
