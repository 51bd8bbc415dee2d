namespace EdgeBroker.Bench.Clients;

using System.Diagnostics;
using System.Text;
using EdgeBroker.Bench.Wire;

/// <summary>
/// MQTT 3.1.1 / 5.0 client: clean session, QoS 0/1/2 both ways. Incoming QoS 1 is acknowledged with PUBACK,
/// QoS 2 with PUBREC then PUBCOMP on PUBREL; outgoing QoS 2 answers PUBREC with PUBREL and counts the message
/// acknowledged on PUBCOMP. Acks are batched: the read loop flushes once per received chunk.
/// Thread-safety: see <see cref="BenchClient"/>.
/// </summary>
public sealed class MqttBenchClient : BenchClient
{
    private readonly ClientSettings _settings;
    private readonly bool _v5;
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[] _topic = [];
    private int _qos;
    private int _payloadLength;
    private int _nextPacketId;
    private string? _failure;

    public MqttBenchClient(BenchConnection connection, ClientSettings settings, bool v5)
        : base(connection)
    {
        _settings = settings;
        _v5 = v5;
    }

    public override async Task SubscribeAsync(string destination, int qos, StompAckMode ackMode, int prefetch, CancellationToken cancellationToken)
    {
        _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Connection.Send(MqttWire.SubscribePacket(1, destination, qos, _v5));
        await WaitAsync(_subscribed.Task, "SUBACK", cancellationToken).ConfigureAwait(false);
    }

    public override void SetPublishTarget(string destination, int qos, bool withReceipts, bool persistent, int payloadLength)
    {
        _topic = Encoding.UTF8.GetBytes(destination);
        _qos = qos;
        _payloadLength = payloadLength;
    }

    public override Span<byte> AppendPublish(out long token)
    {
        ushort packetId = 0;
        token = -1;
        if (_qos > 0)
        {
            _nextPacketId = _nextPacketId == ushort.MaxValue ? 1 : _nextPacketId + 1;
            packetId = (ushort)_nextPacketId;
            token = packetId;
        }

        var size = MqttWire.PublishSize(_topic.Length, _payloadLength, _qos, _v5);
        var span = Connection.Reserve(size);
        var header = MqttWire.WritePublishHeader(span, _topic, _payloadLength, _qos, packetId, _v5);
        Connection.Advance(size);
        return span.Slice(header, _payloadLength);
    }

    protected override async Task HandshakeAsync(string clientId, CancellationToken cancellationToken)
    {
        Connection.Send(MqttWire.ConnectPacket(clientId, _v5, 600, _settings.Username, _settings.Password));
        await WaitAsync(_connected.Task, "CONNACK", cancellationToken).ConfigureAwait(false);
    }

    protected override byte[] Goodbye() => MqttWire.DisconnectPacket();

    protected override int Parse(ReadOnlyMemory<byte> buffer)
    {
        var span = buffer.Span;
        var consumed = 0;
        var now = Stopwatch.GetTimestamp();
        while (MqttWire.TryReadFixedHeader(span[consumed..], out var first, out var headerLength, out var remaining))
        {
            var body = span.Slice(consumed + headerLength, remaining);
            consumed += headerLength + remaining;
            Dispatch(first, body, now);
        }

        return consumed;
    }

    private void Dispatch(byte first, ReadOnlySpan<byte> body, long now)
    {
        switch (first >> 4)
        {
            case MqttWire.Publish:
                var qos = (first >> 1) & 3;
                var payload = MqttWire.PublishPayload(body, qos, _v5, out var packetId);
                Sink?.OnMessage(payload, now);
                if (qos > 0)
                {
                    AppendAck(qos == 1 ? MqttWire.PubAck : MqttWire.PubRec, packetId);
                }

                break;
            case MqttWire.PubAck:
            case MqttWire.PubComp:
                Acks?.OnAck(PacketId(body), now);
                break;
            case MqttWire.PubRec:
                AppendAck(MqttWire.PubRel, PacketId(body));
                break;
            case MqttWire.PubRel:
                AppendAck(MqttWire.PubComp, PacketId(body));
                break;
            case MqttWire.ConnAck:
                var code = MqttWire.ConnAckCode(body, _v5, out var receiveMaximum);
                BrokerReceiveMaximum = receiveMaximum;
                if (code != 0)
                {
                    _connected.TrySetException(new IOException($"CONNACK refused the connection (code 0x{code:X2})."));
                }
                else
                {
                    _connected.TrySetResult();
                }

                break;
            case MqttWire.SubAck:
                var reason = body[body.Length - 1];
                if (reason >= 0x80)
                {
                    _subscribed.TrySetException(new IOException($"SUBACK refused the subscription (code 0x{reason:X2})."));
                }
                else
                {
                    _subscribed.TrySetResult();
                }

                break;
            case MqttWire.Disconnect:
                _failure = body.Length > 0 ? $"DISCONNECT from the broker, reason 0x{body[0]:X2}" : "DISCONNECT from the broker";
                throw new IOException(_failure);
            default:
                break; // PINGRESP, UNSUBACK: nothing to do
        }
    }

    private static ushort PacketId(ReadOnlySpan<byte> body) => (ushort)((body[0] << 8) | body[1]);

    private void AppendAck(byte type, ushort packetId)
    {
        lock (Connection.WriteGate)
        {
            Connection.Advance(MqttWire.WriteAck(Connection.Reserve(4), type, packetId));
        }
    }
}
