namespace EdgeBroker.Stomp.Server;

using System.Diagnostics;
using System.IO.Pipelines;
using EdgeBroker.Core;
using EdgeBroker.Core.Clients;
using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Routing;
using EdgeBroker.Core.Security;
using EdgeBroker.Stomp.Codec;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

/// <summary>
/// One STOMP connection: a state machine over an <see cref="IDuplexPipe"/> (TCP, TLS or WebSocket, all the same).
/// Parse, then process (STYLE.md #4): the codec turns bytes into frames, this class turns frames into
/// <see cref="IBroker"/> calls and queues answers on <see cref="StompOutbound"/>.
/// Split by concern: .Connect (CONNECT, versions, login, heart-beat negotiation), .Send (SEND, destinations,
/// receipts), .Subscribe (SUBSCRIBE, UNSUBSCRIBE, live delivery), .Ack (ACK, NACK, transactions),
/// .Watchdog (connect timeout, heart-beats both ways).
/// <code>
///  AwaitingConnect ──CONNECT ok──► Connected ──DISCONNECT / EOF──► Closed
///        │                            │
///        └── anything else / bad ─────┴── ERROR (message, receipt-id) → linger → Closed
/// </code>
/// Thread-safety: frames are handled one at a time on the read loop, which owns all mutable state except the
/// outbound queue (thread-safe) and the fields marked volatile (written by the watchdog).
/// </summary>
public sealed partial class StompSession : ISubscriber
{
    private const string AckIdPrefix = "";

    private readonly Func<IBroker?> _brokerSource;
    private readonly StompServerOptions _options;
    private readonly StompCodecLimits _preConnectLimits;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly IDuplexPipe _transport;
    private readonly StompConnectionInfo _info;
    private readonly StompOutbound _outbound;
    private readonly Dictionary<string, StompSubscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly long _startTimestamp;
    private readonly Core.Limits.PublishGate _publishGate;
    private IBroker? _broker;
    private ClientIdentity? _identity;
    private MessageOrigin _origin = MessageOrigin.Internal;
    private StompVersion _version = StompVersion.V12;
    private volatile bool _connected;
    private bool _closing;
    private volatile StompCloseReason _closeReason = StompCloseReason.PeerClosed;
    private long _lastReadTimestamp;
    private readonly IClientRegistry? _clients;
    private IDisposable? _registration;

    /// <param name="clients">Where the connection is listed once CONNECTED (dashboard client list, operator disconnect); null = nowhere.</param>
    public StompSession(Func<IBroker?> brokerSource, StompServerOptions options, ILogger logger, TimeProvider time, IDuplexPipe transport, StompConnectionInfo info, IClientRegistry? clients = null)
    {
        ArgumentNullException.ThrowIfNull(brokerSource);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(info);
        _brokerSource = brokerSource;
        _options = options;
        _preConnectLimits = options.Limits.ForPreConnect();
        _logger = logger;
        _time = time;
        _transport = transport;
        _info = info;
        _outbound = new StompOutbound(options.MaxPendingLiveMessages, time, AckIdPrefix);
        _publishGate = options.Publishing.CreateGate();
        _startTimestamp = time.GetTimestamp();
        _lastReadTimestamp = _startTimestamp;
        _clients = clients;
    }

    /// <summary>The authenticated client (after CONNECTED); before that an anonymous placeholder.</summary>
    public ClientIdentity Client => _identity ?? new ClientIdentity(ProtocolKind.Stomp, _info.ConnectionId, null, _info.RemoteAddress);

    /// <summary>Why the connection ended (valid after <see cref="RunAsync"/> returned).</summary>
    public StompCloseReason CloseReason => _closeReason;

    /// <summary>Runs the connection until it ends; never throws for anything the peer does.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writer = _outbound.RunAsync(_transport.Output, stop.Token);
        var watchdog = RunWatchdogAsync(stop.Token);
        var linger = false;
        try
        {
            await ReadLoopAsync(stop.Token).ConfigureAwait(false);
            if (_closeReason is StompCloseReason.HeartbeatTimeout or StompCloseReason.ConnectTimeout or StompCloseReason.AdministrativeClose)
            {
                SendError(_closeReason switch
                {
                    StompCloseReason.ConnectTimeout => "CONNECT timeout",
                    StompCloseReason.AdministrativeClose => "disconnected by an administrator",
                    _ => "heart-beat timeout",
                }, null, null, []);
            }
        }
        catch (StompProtocolException ex)
        {
            // One generic ERROR; the codec's detail goes to the log only.
            _closeReason = StompCloseReason.ProtocolError;
            StompLog.MalformedFrame(_logger, _info.ConnectionId, _info.RemoteAddress, ex.Kind, ex.Message);
            SendError("malformed frame", null, "The frame was rejected: " + ex.Kind + ".", []);
            linger = true;
        }
        catch (StompSessionException ex)
        {
            await SettleSendsQuietlyAsync().ConfigureAwait(false); // earlier SENDs' receipts go out before the ERROR
            _closeReason = ex.Reason;
            StompLog.Refused(_logger, _info.ConnectionId, _info.RemoteAddress, ex.Reason, ex.Message);
            SendError(ex.Message, ex.ReceiptId, ex.Detail, ex.ExtraHeaders);
            linger = true;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            _closeReason = StompCloseReason.PeerClosed; // the transport's "connection closed" token fired
        }
        catch (Exception ex) when (ex is IOException or ConnectionResetException or ConnectionAbortedException or ObjectDisposedException or InvalidOperationException)
        {
            _closeReason = StompCloseReason.PeerClosed;
        }
#pragma warning disable CA1031 // The connection boundary: any other failure is logged and this connection closed, the broker keeps serving.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _closeReason = StompCloseReason.InternalError;
            StompLog.Unexpected(_logger, ex, _info.ConnectionId);
            SendError("internal error", null, null, []);
        }
        finally
        {
            _registration?.Dispose();
            Cleanup();
        }

        await FinishAsync(writer, linger, stop).ConfigureAwait(false);
        await watchdog.ConfigureAwait(false);
        StompLog.Closed(_logger, _info.ConnectionId, _closeReason, _outbound.Dropped);
    }

    private async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        var input = _transport.Input;
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (result.IsCanceled)
            {
                ThrowIfSendFailed(); // a pipelined SEND failed: answer it like any refused frame
                return; // the watchdog set the reason
            }

            Interlocked.Exchange(ref _lastReadTimestamp, _time.GetTimestamp());
            var buffer = result.Buffer;
            try
            {
                while (!_closing && StompFrameReader.TryRead(ref buffer, _version, _connected ? _options.Limits : _preConnectLimits, out var frame))
                {
                    if (!frame.IsHeartbeat)
                    {
                        await HandleFrameAsync(frame, cancellationToken).ConfigureAwait(false);
                    }
                }

                if (_closing)
                {
                    return;
                }

                if (result.IsCompleted)
                {
                    _closeReason = StompCloseReason.PeerClosed; // bytes left over would be a truncated frame: nothing to answer
                    return;
                }
            }
            finally
            {
                input.AdvanceTo(buffer.Start, buffer.End);
            }
        }
    }

    private ValueTask HandleFrameAsync(StompFrame frame, CancellationToken cancellationToken)
    {
        if (!_connected)
        {
            return frame.Command is StompCommand.Connect or StompCommand.Stomp
                ? ConnectAsync(frame, cancellationToken)
                : throw new StompSessionException("expected CONNECT or STOMP as the first frame");
        }

        if (frame.Command == StompCommand.Send)
        {
            return SendAsync(frame, cancellationToken);
        }

        if (_sendChain.IsCompletedSuccessfully)
        {
            _pipelinedSends = 0;
            return HandleConnectedFrameAsync(frame, cancellationToken); // the common case: no SEND in flight, no allocation
        }

        return DrainThenHandleAsync(frame, cancellationToken);
    }

    private async ValueTask DrainThenHandleAsync(StompFrame frame, CancellationToken cancellationToken)
    {
        await DrainSendsAsync().ConfigureAwait(false);
        await HandleConnectedFrameAsync(frame, cancellationToken).ConfigureAwait(false);
    }

    private ValueTask HandleConnectedFrameAsync(StompFrame frame, CancellationToken cancellationToken)
    {
        switch (frame.Command)
        {
            case StompCommand.Subscribe:
                Subscribe(frame);
                return ValueTask.CompletedTask;
            case StompCommand.Unsubscribe:
                Unsubscribe(frame);
                return ValueTask.CompletedTask;
            case StompCommand.Ack:
            case StompCommand.Nack:
                return AckOrNackAsync(frame);
            case StompCommand.Begin:
                Begin(frame);
                return ValueTask.CompletedTask;
            case StompCommand.Commit:
                return CommitAsync(frame, cancellationToken);
            case StompCommand.Abort:
                Abort(frame);
                return ValueTask.CompletedTask;
            case StompCommand.Disconnect:
                // [STOMP 1.2 DISCONNECT] every earlier frame was handled in order, so the receipt confirms them all.
                _closeReason = StompCloseReason.ClientDisconnect;
                SendReceipt(frame.Get(StompHeaderNames.Receipt));
                _closing = true;
                return ValueTask.CompletedTask;
            case StompCommand.Connect:
            case StompCommand.Stomp:
                throw new StompSessionException("already connected");
            default:
                throw new StompSessionException($"{frame.Command.ToString().ToUpperInvariant()} is a server frame");
        }
    }

    private void SendReceipt(string? receipt)
    {
        if (receipt is not null)
        {
            _outbound.EnqueueFrame(new StompFrame(StompCommand.Receipt, [new StompHeader(StompHeaderNames.ReceiptId, receipt)], ReadOnlyMemory<byte>.Empty));
        }
    }

    /// <summary>The one place an ERROR frame is built (STYLE.md #5): message, optional receipt-id, optional text body.</summary>
    private void SendError(string message, string? receiptId, string? detail, IReadOnlyList<StompHeader> extra)
    {
        var headers = new List<StompHeader>(4) { new(StompHeaderNames.Message, message) };
        if (receiptId is not null)
        {
            headers.Add(new StompHeader(StompHeaderNames.ReceiptId, receiptId));
        }

        headers.AddRange(extra);
        ReadOnlyMemory<byte> body = ReadOnlyMemory<byte>.Empty;
        if (detail is not null)
        {
            headers.Add(new StompHeader(StompHeaderNames.ContentType, "text/plain"));
            body = System.Text.Encoding.UTF8.GetBytes(detail);
        }

        _outbound.EnqueueFrame(new StompFrame(StompCommand.Error, headers, body));
    }

    /// <summary>Ends every subscription (unacked queue messages go back, marked redelivered), discards transactions, deletes temp queues.</summary>
    private void Cleanup()
    {
        foreach (var subscription in _subscriptions.Values)
        {
            CloseSubscription(subscription);
        }

        _subscriptions.Clear();
        _transactions.Clear();
        DeleteTempQueues();
    }

    /// <summary>Flushes what is queued, lingers after an ERROR so the peer can read it, then completes both pipe ends.</summary>
    private async Task FinishAsync(Task writer, bool linger, CancellationTokenSource stop)
    {
        _outbound.EnqueueClose();
        _outbound.Complete();
        try
        {
            await writer.WaitAsync(TimeSpan.FromSeconds(5), _time).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or IOException or OperationCanceledException or ConnectionResetException or ObjectDisposedException or InvalidOperationException)
        {
            // The peer stopped reading or is gone: nothing more can be said to it.
        }

        if (linger && _options.ErrorLinger > TimeSpan.Zero)
        {
            await DrainInputAsync(_options.ErrorLinger).ConfigureAwait(false);
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await _transport.Output.CompleteAsync().ConfigureAwait(false);
        await _transport.Input.CompleteAsync().ConfigureAwait(false);
    }

    /// <summary>Reads and discards input until the peer closes or the linger ends, so closing does not reset the connection before the ERROR was read.</summary>
    private async Task DrainInputAsync(TimeSpan linger)
    {
        using var timeout = new CancellationTokenSource(linger, _time);
        try
        {
            while (true)
            {
                var result = await _transport.Input.ReadAsync(timeout.Token).ConfigureAwait(false);
                _transport.Input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ConnectionResetException or ObjectDisposedException or InvalidOperationException)
        {
            // Linger over or the peer is gone.
        }
    }

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private TimeSpan Since(long timestamp) => _time.GetElapsedTime(timestamp);

    [Conditional("DEBUG")]
    private void AssertConnected() => Debug.Assert(_connected && _broker is not null && _identity is not null, "frame handled before CONNECTED");
}
