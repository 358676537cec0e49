using System.Net;
using System.Net.Sockets;

namespace EventLedger.Tests.Infrastructure;

/// <summary>
/// An address whose TCP handshake never completes: a listener with a backlog of one that never
/// accepts, whose backlog is filled at start, so the kernel drops every further connection attempt
/// (the connect-timeout case, for real, without a firewall).
/// </summary>
public sealed class BlackholeServer : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly List<Socket> _fillers = [];

    public BlackholeServer()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(0);
        // Linux lets backlog + 1 connections complete; the rest wait for a SYN-ACK that never comes.
        // The first is waited for, so the queue is surely full before anyone else tries.
        var first = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        first.Connect(IPAddress.Loopback, Port);
        _fillers.Add(first);
        for (var i = 0; i < 2; i++)
        {
            var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            _ = filler.ConnectAsync(IPAddress.Loopback, Port).ContinueWith(_ => { }, TaskScheduler.Default);
            _fillers.Add(filler);
        }
    }

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    public string Url => $"http://127.0.0.1:{Port}";

    public void Dispose()
    {
        _fillers.ForEach(f => f.Dispose());
        _listener.Dispose();
    }
}
