namespace EdgeBroker.Bench.Clients;

using System.Net;
using System.Net.Sockets;

/// <summary>
/// One TCP connection of the tool: a write buffer that callers fill under <see cref="WriteGate"/> and send
/// with one <c>send</c> per batch (<see cref="FlushLocked"/>), and an asynchronous read loop that hands every
/// received chunk to a parser (<see cref="ReadLoopAsync"/>).
/// Thread-safety: writes from any thread under <see cref="WriteGate"/>; one read loop.
/// </summary>
public sealed class BenchConnection : IDisposable
{
    private readonly Socket _socket;
    private byte[] _out = new byte[64 * 1024];
    private int _outLength;
    private byte[] _in = new byte[128 * 1024];
    private int _inLength;
    private volatile bool _disposed;

    private BenchConnection(Socket socket) => _socket = socket;

    public object WriteGate { get; } = new();

    public bool IsDisposed => _disposed;

    public static async Task<BenchConnection> ConnectAsync(string host, int port, IPAddress? localAddress, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (localAddress is not null)
            {
                socket.Bind(new IPEndPoint(localAddress, 0));
            }

            await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            return new BenchConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Room for <paramref name="size"/> more bytes in the write buffer. Caller holds <see cref="WriteGate"/>.</summary>
    public Span<byte> Reserve(int size)
    {
        if (_out.Length - _outLength < size)
        {
            Array.Resize(ref _out, Math.Max(_out.Length * 2, _outLength + size));
        }

        return _out.AsSpan(_outLength);
    }

    /// <summary>Marks <paramref name="count"/> reserved bytes as written. Caller holds <see cref="WriteGate"/>.</summary>
    public void Advance(int count) => _outLength += count;

    /// <summary>Sends everything buffered. Caller holds <see cref="WriteGate"/>.</summary>
    public void FlushLocked()
    {
        var sent = 0;
        while (sent < _outLength)
        {
            sent += _socket.Send(_out, sent, _outLength - sent, SocketFlags.None);
        }

        _outLength = 0;
    }

    public void FlushIfPending()
    {
        lock (WriteGate)
        {
            if (_outLength > 0 && !_disposed)
            {
                FlushLocked();
            }
        }
    }

    public void Send(ReadOnlySpan<byte> bytes)
    {
        lock (WriteGate)
        {
            bytes.CopyTo(Reserve(bytes.Length));
            Advance(bytes.Length);
            FlushLocked();
        }
    }

    /// <summary>
    /// Reads until the peer closes or the connection is disposed. <paramref name="parse"/> gets everything
    /// received and not yet consumed and returns how many bytes it consumed (whole frames only).
    /// </summary>
    public async Task ReadLoopAsync(Func<ReadOnlyMemory<byte>, int> parse)
    {
        try
        {
            while (!_disposed)
            {
                if (_inLength == _in.Length)
                {
                    Array.Resize(ref _in, _in.Length * 2);
                }

                var read = await _socket.ReceiveAsync(_in.AsMemory(_inLength), SocketFlags.None).ConfigureAwait(false);
                if (read == 0)
                {
                    if (_disposed)
                    {
                        return;
                    }

                    throw new IOException("The broker closed the connection.");
                }

                _inLength += read;
                var consumed = parse(_in.AsMemory(0, _inLength));
                if (consumed > 0)
                {
                    Buffer.BlockCopy(_in, consumed, _in, 0, _inLength - consumed);
                    _inLength -= consumed;
                }

                FlushIfPending();
            }
        }
        catch (Exception) when (_disposed)
        {
            // Closed by us at the end of the run.
        }
    }

    public void Dispose()
    {
        _disposed = true;
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        _socket.Dispose();
    }
}
