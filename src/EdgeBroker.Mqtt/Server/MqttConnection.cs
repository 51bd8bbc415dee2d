namespace EdgeBroker.Mqtt.Server;

using System.Buffers;
using System.IO.Pipelines;
using System.Threading.Channels;
using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Security;
using EdgeBroker.Mqtt.Codec;

/// <summary>
/// One MQTT network connection: the read loop (parse, then process: STYLE.md example 4), the CONNECT state
/// machine, the inbound QoS flows, subscriptions, and one writer loop draining a channel of outbound packets
/// (many packets, one flush). The session state it serves outlives it when persistent.
/// Split by concern: .Connect.cs (CONNECT, keep-alive, takeover), .Inbound.cs (PUBLISH from the client, PUBREL,
/// the ordered ack pipeline), .Outbound.cs (deliveries, in-flight window, the writer), .Subscribe.cs,
/// .Close.cs (one place mapping failures to DISCONNECT/close, teardown and the will).
/// Thread-safety: the read loop, the ack loop and the writer loop each run on one logical thread; deliveries
/// arrive on publisher threads through <see cref="TryDeliver"/> and <see cref="DeliverFromQueue"/> and only
/// touch the outbound lock and channel.
/// </summary>
internal sealed partial class MqttConnection : IDisposable
{
    private readonly MqttServer _server;
    private readonly IDuplexPipe _transport;
    private readonly MqttServerOptions _options;
    private readonly CancellationTokenSource _readCts = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private MqttProtocolVersion _version = MqttProtocolVersion.Unknown;
    private MqttCodecLimits _limits = MqttCodecLimits.PreConnect;
    private TimeSpan _keepAliveTimeout = Timeout.InfiniteTimeSpan;
    private ClientIdentity? _identity;
    private MqttSessionState? _session;
    private MessageOrigin _origin = MessageOrigin.Internal;

    public MqttConnection(MqttServer server, IDuplexPipe transport, string connectionId, string? remoteAddress)
    {
        _server = server;
        _transport = transport;
        _options = server.Options;
        ConnectionId = connectionId;
        RemoteAddress = remoteAddress;
        _outbound = Channel.CreateUnbounded<OutboundItem>(new UnboundedChannelOptions { SingleReader = true });
        _acks = Channel.CreateBounded<InboundAck>(new BoundedChannelOptions(_options.ReceiveMaximum + 2) { SingleReader = true, SingleWriter = true });
        _publishGate = _options.Publishing.CreateGate();
    }

    public string ConnectionId { get; }

    public string? RemoteAddress { get; }

    /// <summary>The verified TLS client certificate's name (authentication may map it to the user name).</summary>
    public string? CertificateName { get; init; }

    /// <summary>Set when the listener is over a connection limit: CONNECT is refused with Server busy (3.1.1: server unavailable).</summary>
    public string? BusyReason { get; init; }

    public string? ClientId => _session?.ClientId;

    /// <summary>Completes when the connection has fully ended (session detached, will handled).</summary>
    public Task Completion => _completion.Task;

    public async Task RunAsync()
    {
        var writer = Task.Run(WriteLoopAsync);
        var ackLoop = Task.Run(AckLoopAsync);
        try
        {
            await ReadLoopAsync().ConfigureAwait(false);
        }
        catch (MqttProtocolException ex)
        {
            OnProtocolError(ex);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
        {
            _closeReason ??= ex.Message;
        }
        finally
        {
            await TearDownAsync(writer, ackLoop).ConfigureAwait(false);
            _completion.TrySetResult();
        }
    }

    private async Task ReadLoopAsync()
    {
        var input = _transport.Input;
        _readCts.CancelAfter(_options.ConnectTimeout);
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(_readCts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                OnReadCancelled();
                return;
            }

            var buffer = result.Buffer;
            try
            {
                while (MqttPacketReader.TryRead(ref buffer, _version, _limits, out var packet, out _))
                {
                    RestartKeepAlive();
                    if (!await HandlePacketAsync(packet).ConfigureAwait(false))
                    {
                        return;
                    }
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    _closeReason ??= buffer.IsEmpty ? "the client closed the connection" : "the connection closed inside a packet";
                    return;
                }
            }
            finally
            {
                input.AdvanceTo(buffer.Start, buffer.End);
            }
        }
    }

    /// <summary>Dispatches one packet; false ends the read loop.</summary>
    private async ValueTask<bool> HandlePacketAsync(MqttPacket packet)
    {
        if (_session is null)
        {
            // The reader accepts only CONNECT before CONNECT ([MQTT-3.1.0-1]).
            return await HandleConnectAsync((MqttConnectPacket)packet).ConfigureAwait(false);
        }

        switch (packet)
        {
            case MqttPublishPacket publish:
                return await HandlePublishAsync(publish).ConfigureAwait(false);
            case MqttPubAckPacket ack:
                return OnPubAck(ack.PacketId);
            case MqttPubRecPacket rec:
                return OnPubRec(rec);
            case MqttPubRelPacket rel:
                return await HandlePubRelAsync(rel).ConfigureAwait(false);
            case MqttPubCompPacket comp:
                return OnPubComp(comp.PacketId);
            case MqttSubscribePacket subscribe:
                return await HandleSubscribeAsync(subscribe).ConfigureAwait(false);
            case MqttUnsubscribePacket unsubscribe:
                return await HandleUnsubscribeAsync(unsubscribe).ConfigureAwait(false);
            case MqttPingReqPacket:
                Enqueue(new MqttPingRespPacket());
                return true;
            case MqttDisconnectPacket disconnect:
                return HandleDisconnect(disconnect);
            case MqttAuthPacket:
                // Enhanced authentication is not offered (CONNACK never named a method), so AUTH is a protocol error.
                return Fail(MqttReasonCode.ProtocolError, "AUTH without an authentication method");
            case MqttConnectPacket:
                // [MQTT-3.1.0-2] a second CONNECT is a protocol violation.
                return Fail(MqttReasonCode.ProtocolError, "[MQTT-3.1.0-2] a second CONNECT");
            default:
                // CONNACK, SUBACK, UNSUBACK, PINGRESP only travel from server to client.
                return Fail(MqttReasonCode.ProtocolError, $"a client may not send {packet.PacketType}");
        }
    }

    private void RestartKeepAlive()
    {
        if (_keepAliveTimeout != Timeout.InfiniteTimeSpan && !_readCts.IsCancellationRequested)
        {
            _readCts.CancelAfter(_keepAliveTimeout);
        }
    }
}
