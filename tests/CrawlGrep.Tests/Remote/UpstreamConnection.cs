using System.Collections.Concurrent;
using System.Net.Sockets;

namespace CrawlGrep.Tests.Remote;

/// <summary>
/// A <see cref="FaultProxy"/> client connection's own connection to the upstream. Its socket is registered
/// with the proxy while open, so that disposing the proxy closes it.
/// </summary>
internal sealed class UpstreamConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly ConcurrentDictionary<Socket, byte> _registry;

    private UpstreamConnection(Socket socket, ConcurrentDictionary<Socket, byte> registry)
    {
        _socket = socket;
        _registry = registry;
        Stream = new NetworkStream(socket, ownsSocket: false);
        Reader = new HttpReader(Stream);
    }

    public NetworkStream Stream { get; }

    public HttpReader Reader { get; }

    public static async Task<UpstreamConnection> ConnectAsync(string host, int port, ConcurrentDictionary<Socket, byte> registry, CancellationToken ct)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        registry[socket] = 0;
        try
        {
            await socket.ConnectAsync(host, port, ct);
        }
        catch
        {
            registry.TryRemove(socket, out _);
            socket.Dispose();
            throw;
        }
        return new UpstreamConnection(socket, registry);
    }

    public void Dispose()
    {
        Stream.Dispose();
        _registry.TryRemove(_socket, out _);
        _socket.Dispose();
    }
}
