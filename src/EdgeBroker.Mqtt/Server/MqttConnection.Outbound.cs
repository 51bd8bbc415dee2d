namespace EdgeBroker.Mqtt.Server;

using System.Threading.Channels;
using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Queues;
using EdgeBroker.Core.Routing;
using EdgeBroker.Core.Security;
using EdgeBroker.Core.Topics;
using EdgeBroker.Mqtt.Codec;

/// <summary>
/// Deliveries towards the client. Live messages (non-persistent sessions) arrive through <see cref="TryDeliver"/>,
/// queue messages (persistent sessions, $share groups) through <see cref="DeliverFromQueue"/>; both run on the
/// publisher's thread and never block. QoS 0 goes straight to the writer; QoS 1/2 take a packet id in the
/// in-flight window (min of <see cref="MqttServerOptions.MaxInflight"/> and the client's Receive Maximum) or wait
/// in the pending queue. Live messages beyond <see cref="MqttServerOptions.MaxQueuedMessages"/> are dropped and
/// counted (non-durable buffer, R12); queue messages are never dropped here: the queue's prefetch bounds them.
/// </summary>
internal sealed partial class MqttConnection : ISubscriber
{
    private readonly Channel<OutboundItem> _outbound;
    private readonly Lock _outLock = new();
    private readonly Dictionary<ushort, OutboundItem> _inflight = [];
    private readonly Queue<OutboundItem> _pendingOut = new();
    private int _window = 1;
    private ushort _lastPacketId;
    private int _queuedLive;
    private int _closed;

    public ClientIdentity Client => _identity!;

    public bool TryDeliver(Message message, ReadOnlySpan<ISubscription> matched, bool isRetained)
    {
        if (Volatile.Read(ref _closed) != 0)
        {
            return false;
        }

        var qos = 0;
        var retainAsPublished = false;
        List<uint>? ids = null;
        foreach (var subscription in matched)
        {
            var options = subscription.Options;
            qos = Math.Max(qos, (int)options.MaxQos);
            retainAsPublished |= options.RetainAsPublished;
            if (options.SubscriptionIdentifier > 0)
            {
                (ids ??= []).Add((uint)options.SubscriptionIdentifier);
            }
        }

        if (Interlocked.Increment(ref _queuedLive) > _options.MaxQueuedMessages)
        {
            Interlocked.Decrement(ref _queuedLive);
            _server.Counters.DroppedLiveMessage();
            return false;
        }

        // [MQTT-3.3.1-8] retained on subscribe keeps RETAIN; [MQTT-3.3.1-9] otherwise only with Retain As Published (v5).
        Offer(new OutboundItem
        {
            Message = message,
            Qos = (MqttQos)Math.Min(qos, (int)message.Qos),
            Retain = isRetained || (retainAsPublished && message.Retain),
            SubscriptionIdentifiers = ids?.ToArray(),
            IsLive = true,
        });
        return true;
    }

    /// <summary>A message from the session queue or a $share group queue.</summary>
    public bool DeliverFromQueue(QueueSink sink, QueueDelivery delivery)
    {
        if (Volatile.Read(ref _closed) != 0)
        {
            return false; // back to the queue
        }

        var message = delivery.Message;
        int qos;
        var retain = false;
        uint[]? ids = null;
        if (sink.Shared is { } shared)
        {
            qos = (int)shared.Qos;
            ids = shared.SubscriptionIdentifier > 0 ? [shared.SubscriptionIdentifier] : null;
        }
        else
        {
            qos = -1;
            List<uint>? list = null;
            var own = message.Origin.Protocol == ProtocolKind.Mqtt && string.Equals(message.Origin.ClientId, _session?.ClientId, StringComparison.Ordinal);
            foreach (var subscription in _session!.MatchList)
            {
                if (!TopicFilter.Matches(subscription.Filter, message.Topic) || (subscription.NoLocal && own))
                {
                    continue;
                }

                qos = Math.Max(qos, (int)subscription.Qos);
                retain |= subscription.RetainAsPublished && message.Retain;
                if (subscription.SubscriptionIdentifier > 0)
                {
                    (list ??= []).Add(subscription.SubscriptionIdentifier);
                }
            }

            if (qos < 0)
            {
                // Unsubscribed meanwhile, or [MQTT-3.8.3-3] no-local: nothing to send.
                sink.Ack(delivery.DeliveryTag);
                return true;
            }

            ids = list?.ToArray();
        }

        var effective = (MqttQos)Math.Min(qos, (int)message.Qos);
        Offer(new OutboundItem
        {
            Message = message,
            Qos = effective,
            Retain = retain,
            Dup = delivery.Redelivered && effective != MqttQos.AtMostOnce,
            SubscriptionIdentifiers = ids,
            Sink = sink,
            DeliveryTag = delivery.DeliveryTag,
        });
        return true;
    }

    private void Enqueue(MqttPacket packet) => _outbound.Writer.TryWrite(OutboundItem.Control(packet));

    private void Offer(OutboundItem item)
    {
        if (item.Qos == MqttQos.AtMostOnce)
        {
            if (!_outbound.Writer.TryWrite(item))
            {
                Release(item);
            }

            return;
        }

        lock (_outLock)
        {
            if (_inflight.Count < _window && _pendingOut.Count == 0)
            {
                SendInflight(item);
            }
            else
            {
                _pendingOut.Enqueue(item);
            }
        }
    }

    /// <summary>Under <c>_outLock</c>: takes a free packet id and hands the item to the writer.</summary>
    private void SendInflight(OutboundItem item)
    {
        do
        {
            _lastPacketId = (ushort)(_lastPacketId == ushort.MaxValue ? 1 : _lastPacketId + 1);
        }
        while (_inflight.ContainsKey(_lastPacketId));

        item.PacketId = _lastPacketId;
        _inflight[item.PacketId] = item;
        _outbound.Writer.TryWrite(item);
    }

    private bool OnPubAck(ushort packetId) => CompleteInflight(packetId, MqttQos.AtLeastOnce);

    private bool OnPubComp(ushort packetId) => CompleteInflight(packetId, MqttQos.ExactlyOnce);

    private bool OnPubRec(MqttPubRecPacket rec)
    {
        lock (_outLock)
        {
            if (!_inflight.TryGetValue(rec.PacketId, out var item) || item.Qos != MqttQos.ExactlyOnce)
            {
                // [MQTT-4.3.3-…] unknown id: v5 answers PUBREL 0x92.
                Enqueue(new MqttPubRelPacket { PacketId = rec.PacketId, ReasonCode = _version == MqttProtocolVersion.V500 ? MqttReasonCode.PacketIdentifierNotFound : MqttReasonCode.Success });
                return true;
            }

            if ((byte)rec.ReasonCode >= 0x80)
            {
                // The client refused the message: the exchange ends here.
                _inflight.Remove(rec.PacketId);
                Release(item);
                PumpPending();
                return true;
            }

            item.PubRecReceived = true;
        }

        Enqueue(new MqttPubRelPacket { PacketId = rec.PacketId });
        return true;
    }

    private bool CompleteInflight(ushort packetId, MqttQos expected)
    {
        lock (_outLock)
        {
            if (_inflight.TryGetValue(packetId, out var item) && item.Qos == expected)
            {
                _inflight.Remove(packetId);
                Release(item);
                PumpPending();
            }
        }

        // An unknown id is ignored: it may belong to a delivery of a previous connection.
        return true;
    }

    /// <summary>Under <c>_outLock</c>: fills the window from the pending queue.</summary>
    private void PumpPending()
    {
        while (_inflight.Count < _window && _pendingOut.TryDequeue(out var next))
        {
            SendInflight(next);
        }
    }

    /// <summary>The delivery is finished (acknowledged, written at QoS 0, expired or too large): settle its queue message.</summary>
    private static void Release(OutboundItem item) => item.Sink?.Ack(item.DeliveryTag);

    /// <summary>Finishes an in-flight item that will never be acknowledged (dropped before sending).</summary>
    private void DropInflight(OutboundItem item)
    {
        lock (_outLock)
        {
            if (item.Qos != MqttQos.AtMostOnce && _inflight.Remove(item.PacketId))
            {
                PumpPending();
            }
        }

        Release(item);
    }
}
