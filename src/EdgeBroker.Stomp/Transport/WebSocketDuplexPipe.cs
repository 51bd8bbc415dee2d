namespace EdgeBroker.Stomp.Transport;

using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;

/// <summary>
/// An <see cref="IDuplexPipe"/> over a WebSocket, so STOMP over WebSocket runs the very session code TCP runs
/// (DESIGN.md "TCP and WebSocket feed the same adapter through an IDuplexPipe").
/// <code>
///  socket ──ReceiveAsync (text or binary messages, any split)──► Input pipe  ──► session read loop
///  socket ◄──SendAsync (one message per flushed chunk)───────────── Output pipe ◄── session writer loop
/// </code>
/// STOMP frames are a byte stream here: a WebSocket message may hold several frames or part of one.
/// Thread-safety: <see cref="RunAsync"/> runs the two pump loops once; the pipes have one reader and one writer each.
/// </summary>
public sealed class WebSocketDuplexPipe : IDuplexPipe
{
    private const int ReceiveChunk = 4096;

    private readonly WebSocket _socket;
    private readonly WebSocketMessageType _outgoingType;
    private readonly Pipe _input = new(new PipeOptions(useSynchronizationContext: false));
    private readonly Pipe _output = new(new PipeOptions(useSynchronizationContext: false));

    /// <param name="outgoingType">Binary keeps bodies byte-exact (stompjs reads both); text suits clients that only read text.</param>
    public WebSocketDuplexPipe(WebSocket socket, WebSocketMessageType outgoingType = WebSocketMessageType.Binary)
    {
        ArgumentNullException.ThrowIfNull(socket);
        _socket = socket;
        _outgoingType = outgoingType;
    }

    public PipeReader Input => _input.Reader;

    public PipeWriter Output => _output.Writer;

    /// <summary>Pumps both directions until the session completed its output and the socket closed (or failed).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var receiving = ReceiveAsync(stop.Token);
        await SendAsync(stop.Token).ConfigureAwait(false);

        // The session is done: give the peer a moment to answer the close, then stop receiving.
        stop.CancelAfter(TimeSpan.FromSeconds(2));
        await receiving.ConfigureAwait(false);
    }

    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        var writer = _input.Writer;
        Exception? error = null;
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(ReceiveChunk);
                var result = await _socket.ReceiveAsync(memory, cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                writer.Advance(result.Count);
                var flush = await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (flush.IsCompleted)
                {
                    break; // the session stopped reading
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            error = ex is OperationCanceledException ? null : ex;
        }

        await writer.CompleteAsync(error is null ? null : new IOException("WebSocket receive failed", error)).ConfigureAwait(false);
    }

    private async Task SendAsync(CancellationToken cancellationToken)
    {
        var reader = _output.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                try
                {
                    if (!buffer.IsEmpty)
                    {
                        await SendMessageAsync(buffer, cancellationToken).ConfigureAwait(false);
                    }
                }
                finally
                {
                    reader.AdvanceTo(buffer.End);
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }

            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer is gone; the session notices through its own pipe.
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask SendMessageAsync(ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        if (buffer.IsSingleSegment)
        {
            await _socket.SendAsync(buffer.First, _outgoingType, endOfMessage: true, cancellationToken).ConfigureAwait(false);
            return;
        }

        var position = buffer.Start;
        var hasSegment = buffer.TryGet(ref position, out var segment);
        while (hasSegment)
        {
            var current = segment;
            hasSegment = buffer.TryGet(ref position, out segment);
            await _socket.SendAsync(current, _outgoingType, endOfMessage: !hasSegment, cancellationToken).ConfigureAwait(false);
        }
    }
}
