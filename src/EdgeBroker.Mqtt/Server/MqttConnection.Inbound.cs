namespace EdgeBroker.Mqtt.Server;

using System.Threading.Channels;
using EdgeBroker.Core.Limits;
using EdgeBroker.Core.Routing;
using EdgeBroker.Mqtt.Codec;

/// <summary>
/// PUBLISH from the client. The read loop validates, maps and starts the broker publish without waiting for it
/// (live delivery happens inside the call, so order per publisher is kept); the ack loop awaits the publishes in
/// arrival order and only then sends PUBACK/PUBREC (R3). QoS 2: the packet id is recorded as received before
/// routing, a DUP with a recorded id is acknowledged without routing again ([MQTT-4.3.3-10]), and for a
/// persistent session the record is saved before PUBREC (R4). Before any of that the publish passes the
/// connection's <see cref="PublishGate"/>: while the memory alarm is on or the client is over its message rate the
/// read loop waits there, so nothing more is read from this client (keep-alive is suspended meanwhile: the
/// silence is ours).
/// </summary>
internal sealed partial class MqttConnection
{
    private readonly Channel<InboundAck> _acks;
    private readonly Dictionary<ushort, string> _inboundAliases = [];
    private readonly PublishGate _publishGate;
    private int _inboundUnacked;

    private async ValueTask<bool> HandlePublishAsync(MqttPublishPacket publish)
    {
        if (!_publishGate.TryPass() && !await HoldPublisherAsync().ConfigureAwait(false))
        {
            return false;
        }

        var session = _session!;
        var v5 = _version == MqttProtocolVersion.V500;
        var topic = publish.Topic;
        var properties = publish.Properties;
        if (v5 && properties is not null)
        {
            if (properties.SubscriptionIdentifiers is { Count: > 0 })
            {
                return Fail(MqttReasonCode.ProtocolError, "[MQTT-3.3.4-6] a PUBLISH from a client must not carry a Subscription Identifier");
            }

            if (properties.TopicAlias is { } alias)
            {
                // [MQTT-3.3.2-9] [MQTT-3.3.2-10] alias 0 or above the maximum we announced.
                if (alias == 0 || alias > _options.TopicAliasMaximum)
                {
                    return Fail(MqttReasonCode.TopicAliasInvalid, $"topic alias {alias} outside 1..{_options.TopicAliasMaximum}");
                }

                if (topic.Length == 0)
                {
                    if (!_inboundAliases.TryGetValue(alias, out var known))
                    {
                        return Fail(MqttReasonCode.ProtocolError, $"topic alias {alias} is not mapped");
                    }

                    topic = known;
                }
                else
                {
                    _inboundAliases[alias] = topic;
                }
            }
        }

        if (publish.Qos != MqttQos.AtMostOnce && Interlocked.Increment(ref _inboundUnacked) > _options.ReceiveMaximum && v5)
        {
            // [MQTT-3.3.4-9] more unacknowledged QoS 1/2 PUBLISH packets than the Receive Maximum we announced.
            return Fail(MqttReasonCode.ReceiveMaximumExceeded, "receive maximum exceeded");
        }

        if (properties?.PayloadFormatIndicator == MqttPayloadFormatIndicator.Utf8 && !IsUtf8(publish))
        {
            return Fail(MqttReasonCode.PayloadFormatInvalid, "payload is not UTF-8 although the Payload Format Indicator says so");
        }

        if (publish.Qos == MqttQos.ExactlyOnce && session.HasReceivedQos2(publish.PacketId))
        {
            // [MQTT-4.3.3-10] already received and not released: PUBREC again, do not route again.
            await _acks.Writer.WriteAsync(new InboundAck(InboundAckKind.DuplicateQos2, publish.PacketId, publish.Qos, default, topic)).ConfigureAwait(false);
            return true;
        }

        // The payload is copied here, before anything awaits: the packet is a slice of the pipe buffer.
        var message = MqttMessageMapper.ToMessage(publish, topic, _origin, _server.Time.GetUtcNow().ToUnixTimeMilliseconds());
        if (publish.Qos == MqttQos.ExactlyOnce)
        {
            session.AddReceivedQos2(publish.PacketId);
        }

        var pending = _server.Broker.PublishAsync(message, _identity);
        if (publish.Qos == MqttQos.AtMostOnce)
        {
            if (pending.IsCompletedSuccessfully)
            {
                LogIfRefused(pending.Result, topic);
            }
            else
            {
                _ = ObserveQos0Async(pending, topic);
            }

            return true;
        }

        await _acks.Writer.WriteAsync(new InboundAck(InboundAckKind.Publish, publish.PacketId, publish.Qos, pending, topic)).ConfigureAwait(false);
        return true;
    }

    /// <summary>Waits at the publish gate; false when the connection closed meanwhile.</summary>
    private async Task<bool> HoldPublisherAsync()
    {
        _readCts.CancelAfter(Timeout.InfiniteTimeSpan);
        try
        {
            await _publishGate.WaitAsync(_readCts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            OnReadCancelled();
            return false;
        }

        RestartKeepAlive();
        return true;
    }

    private async ValueTask<bool> HandlePubRelAsync(MqttPubRelPacket rel)
    {
        await _acks.Writer.WriteAsync(new InboundAck(InboundAckKind.PubRel, rel.PacketId, MqttQos.ExactlyOnce, default, string.Empty)).ConfigureAwait(false);
        return true;
    }

    /// <summary>Awaits publishes in arrival order and answers each one (PUBACK, PUBREC, PUBCOMP).</summary>
    private async Task AckLoopAsync()
    {
        var v5 = false;
        await foreach (var ack in _acks.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            v5 = _version == MqttProtocolVersion.V500;
            var session = _session!;
            switch (ack.Kind)
            {
                case InboundAckKind.DuplicateQos2:
                    Enqueue(new MqttPubRecPacket { PacketId = ack.PacketId });
                    break;

                case InboundAckKind.PubRel:
                    var known = session.RemoveReceivedQos2(ack.PacketId);
                    if (known && session.IsPersistent && !await TrySaveSessionAsync(session).ConfigureAwait(false))
                    {
                        RequestClose(MqttReasonCode.UnspecifiedError, "session state could not be saved");
                        continue;
                    }

                    Interlocked.Decrement(ref _inboundUnacked);
                    Enqueue(new MqttPubCompPacket { PacketId = ack.PacketId, ReasonCode = known || !v5 ? MqttReasonCode.Success : MqttReasonCode.PacketIdentifierNotFound });
                    break;

                default:
                    await AnswerPublishAsync(ack, session, v5).ConfigureAwait(false);
                    break;
            }
        }
    }

    private async Task AnswerPublishAsync(InboundAck ack, MqttSessionState session, bool v5)
    {
        PublishResult result;
        try
        {
            result = await ack.Publish.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
        {
            result = new PublishResult(PublishOutcome.Failed, 0, 0, ex.Message);
        }

        if (result.IsAcknowledged && ack.Qos == MqttQos.ExactlyOnce && session.IsPersistent && !await TrySaveSessionAsync(session).ConfigureAwait(false))
        {
            // R4: without a durable received-id record a PUBREC could lead to a second routing after a crash.
            result = new PublishResult(PublishOutcome.Failed, 0, 0, "the QoS 2 record could not be saved");
        }

        if (!result.IsAcknowledged)
        {
            LogIfRefused(result, ack.Topic);
            if (ack.Qos == MqttQos.ExactlyOnce)
            {
                session.RemoveReceivedQos2(ack.PacketId);
            }

            if (!v5)
            {
                // 3.x has no negative acknowledgement: close without acking (F12), the client resends.
                RequestClose(MqttReasonCode.UnspecifiedError, "publish refused: " + result.Outcome);
                return;
            }
        }

        var code = MqttMessageMapper.ToReasonCode(result.Outcome);
        if (!v5)
        {
            code = MqttReasonCode.Success;
        }

        if (ack.Qos == MqttQos.AtLeastOnce)
        {
            Interlocked.Decrement(ref _inboundUnacked);
            Enqueue(new MqttPubAckPacket { PacketId = ack.PacketId, ReasonCode = code });
        }
        else
        {
            if ((byte)code >= 0x80)
            {
                // A PUBREC with an error code ends the QoS 2 exchange: no PUBREL follows.
                Interlocked.Decrement(ref _inboundUnacked);
            }

            Enqueue(new MqttPubRecPacket { PacketId = ack.PacketId, ReasonCode = code });
        }
    }

    private async ValueTask<bool> TrySaveSessionAsync(MqttSessionState session)
    {
        try
        {
            await _server.SaveAsync(session).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException)
        {
            return false;
        }
    }

    private async Task ObserveQos0Async(ValueTask<PublishResult> pending, string topic)
    {
        try
        {
            LogIfRefused(await pending.ConfigureAwait(false), topic);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
        {
            MqttLog.PublishRefused(_server.Logger, ClientId ?? "?", topic, nameof(PublishOutcome.Failed), ex.Message);
        }
    }

    private void LogIfRefused(PublishResult result, string topic)
    {
        if (!result.IsAcknowledged)
        {
            MqttLog.PublishRefused(_server.Logger, ClientId ?? "?", topic, result.Outcome.ToString(), result.Reason);
        }
    }

    private static bool IsUtf8(MqttPublishPacket publish)
    {
        if (publish.Payload.IsSingleSegment)
        {
            return Utf8IsValid(publish.Payload.FirstSpan);
        }

        var copy = System.Buffers.BuffersExtensions.ToArray(publish.Payload);
        return Utf8IsValid(copy);
    }

    private static bool Utf8IsValid(ReadOnlySpan<byte> bytes) => System.Text.Unicode.Utf8.IsValid(bytes);
}
