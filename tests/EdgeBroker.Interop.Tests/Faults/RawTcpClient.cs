namespace EdgeBroker.Interop.Tests.Faults;

using System.Net;
using System.Net.Sockets;

/// <summary>
/// A plain TCP connection to the broker for byte-level tests: send any bytes, read exactly what arrives, and tell a
/// close by the server (EOF or reset) from silence (a timeout). Not thread-safe; one test drives one instance.
/// </summary>
public sealed class RawTcpClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;

    private RawTcpClient(Socket socket, int bufferSize)
    {
        _socket = socket;
        _buffer = new byte[bufferSize];
    }

    /// <summary>The local port: the broker logs the remote address as 127.0.0.1:&lt;this port&gt;.</summary>
    public int LocalPort => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    /// <param name="bufferSize">Receive buffer; load tests holding thousands of idle clients use a small one.</param>
    public static async Task<RawTcpClient> ConnectAsync(int port, int bufferSize = 64 * 1024)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, port);
        return new RawTcpClient(socket, bufferSize);
    }

    /// <summary>Sends everything; false if the server closed (reset) the connection while we were still sending.</summary>
    public async Task<bool> SendAsync(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            while (!bytes.IsEmpty)
            {
                var sent = await _socket.SendAsync(bytes, SocketFlags.None);
                bytes = bytes[sent..];
            }

            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Exactly <paramref name="count"/> bytes; null when the server closes first; throws <see cref="TimeoutException"/> on silence.</summary>
    public async Task<byte[]?> ReadExactAsync(int count, TimeSpan timeout)
    {
        var result = new byte[count];
        var have = 0;
        while (have < count)
        {
            if (_start == _end && !await FillAsync(timeout))
            {
                return null;
            }

            var n = Math.Min(count - have, _end - _start);
            _buffer.AsSpan(_start, n).CopyTo(result.AsSpan(have));
            _start += n;
            have += n;
        }

        return result;
    }

    /// <summary>The next byte, or null when the server closed the connection.</summary>
    public async Task<int?> ReadByteAsync(TimeSpan timeout)
    {
        var one = await ReadExactAsync(1, timeout);
        return one?[0];
    }

    /// <summary>
    /// Reads and discards until the server closes; true if it closed within <paramref name="timeout"/>.
    /// Returns the bytes that arrived meanwhile so a caller can assert nothing (or something) was said.
    /// </summary>
    public async Task<(bool Closed, int ExtraBytes)> WaitClosedAsync(TimeSpan timeout)
    {
        var extra = _end - _start;
        _start = _end;
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                return (false, extra);
            }

            try
            {
                if (!await FillAsync(left))
                {
                    return (true, extra);
                }
            }
            catch (TimeoutException)
            {
                return (false, extra);
            }

            extra += _end - _start;
            _start = _end;
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<bool> FillAsync(TimeSpan timeout)
    {
        if (_eof)
        {
            return false;
        }

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            var n = await _socket.ReceiveAsync(_buffer.AsMemory(), SocketFlags.None, cts.Token);
            _start = 0;
            _end = n;
            _eof = n == 0;
            return n > 0;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"nothing received within {timeout}");
        }
        catch (SocketException)
        {
            _eof = true; // reset by the server: a close, too
            return false;
        }
    }
}
