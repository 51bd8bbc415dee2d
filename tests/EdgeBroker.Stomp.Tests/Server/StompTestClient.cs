namespace EdgeBroker.Stomp.Tests.Server;

using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using EdgeBroker.Stomp.Codec;
using EdgeBroker.Stomp.Server;

/// <summary>
/// A STOMP peer over two in-memory pipes, driving <see cref="StompConnectionHandler.RunAsync"/> directly (no sockets).
/// Reads the server's bytes with the codec; waits always have a deadline. One test drives one instance.
/// </summary>
internal sealed class StompTestClient : IAsyncDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);
    private readonly Pipe _toServer = new();
    private readonly Pipe _toClient = new();
    private ReadOnlySequence<byte> _pending = ReadOnlySequence<byte>.Empty;
    private bool _completed;

    public StompTestClient(StompConnectionHandler handler, string id)
    {
        Session = Task.Run(() => handler.RunAsync(new DuplexPipe(_toServer.Reader, _toClient.Writer), new StompConnectionInfo(id, "127.0.0.1:1", "test"), CancellationToken.None));
    }

    /// <summary>The handler's task: completes when the server closed the connection.</summary>
    public Task Session { get; }

    public int HeartbeatsReceived { get; private set; }

    public StompVersion Version { get; set; } = StompVersion.V12;

    public async Task SendRawAsync(string text) => await SendRawAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendRawAsync(byte[] bytes)
    {
        await _toServer.Writer.WriteAsync(bytes);
    }

    public async Task SendAsync(string command, IEnumerable<(string Name, string Value)> headers, string? body = null)
    {
        var builder = new StringBuilder().Append(command).Append('\n');
        foreach (var (name, value) in headers)
        {
            builder.Append(name).Append(':').Append(value).Append('\n');
        }

        builder.Append('\n').Append(body).Append('\0');
        await SendRawAsync(builder.ToString());
    }

    public async Task SendBytesFrameAsync(string command, IEnumerable<(string Name, string Value)> headers, byte[] body)
    {
        var writer = new ArrayBufferWriter<byte>();
        var list = headers.Select(h => new StompHeader(h.Name, h.Value)).ToList();
        StompFrameWriter.Write(writer, Enum.Parse<StompCommand>(command, ignoreCase: true), list, body, StompVersion.V12);
        await SendRawAsync(writer.WrittenSpan.ToArray());
    }

    /// <summary>Closes the client → server direction (the peer went away without DISCONNECT).</summary>
    public async Task CloseAsync() => await _toServer.Writer.CompleteAsync();

    /// <summary>The next frame that is not a heart-beat, or throws after the deadline / when the server closed.</summary>
    public async Task<StompFrame> ReceiveAsync(TimeSpan? timeout = null) =>
        await TryReceiveAsync(timeout ?? DefaultTimeout) ?? throw new InvalidOperationException("the server closed the connection");

    /// <summary>The next frame, or null when the server closed the connection first. Throws TimeoutException at the deadline.</summary>
    public async Task<StompFrame?> TryReceiveAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            if (TryParse(out var frame))
            {
                if (frame.IsHeartbeat)
                {
                    HeartbeatsReceived++;
                    continue;
                }

                return frame;
            }

            if (_completed)
            {
                return null;
            }

            ReadResult result;
            try
            {
                result = await _toClient.Reader.ReadAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("no frame from the server within " + timeout);
            }

            // Copy what arrived so parsing never depends on the pipe's buffer lifetime.
            var bytes = new byte[_pending.Length + result.Buffer.Length];
            _pending.CopyTo(bytes);
            result.Buffer.CopyTo(bytes.AsSpan((int)_pending.Length));
            _pending = new ReadOnlySequence<byte>(bytes);
            _toClient.Reader.AdvanceTo(result.Buffer.End);
            _completed = result.IsCompleted;
        }
    }

    /// <summary>True once the server completed its side within the deadline (skipping any frames).</summary>
    public async Task<bool> WaitClosedAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await TryReceiveAsync(deadline - DateTime.UtcNow) is null)
                {
                    return true;
                }
            }
            catch (TimeoutException)
            {
                return false;
            }
        }

        return false;
    }

    public async Task<StompFrame> ExpectAsync(StompCommand command)
    {
        var frame = await ReceiveAsync();
        Assert.True(frame.Command == command, $"expected {command}, got {frame.Command}: {frame.Get("message")} {Encoding.UTF8.GetString(frame.Body.Span)}");
        return frame;
    }

    public async ValueTask DisposeAsync()
    {
        await _toServer.Writer.CompleteAsync();
        await Session.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private bool TryParse(out StompFrame frame)
    {
        var buffer = _pending;
        if (StompFrameReader.TryRead(ref buffer, Version, StompCodecLimits.Default with { MaxFrameBytes = 64 * 1024 * 1024 }, out var parsed))
        {
            // Own the body: the pending array is replaced on the next read.
            frame = parsed.IsHeartbeat ? parsed : new StompFrame(parsed.Command, parsed.Headers, parsed.GetOwnedBody());
            _pending = buffer;
            return true;
        }

        frame = null!;
        return false;
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
