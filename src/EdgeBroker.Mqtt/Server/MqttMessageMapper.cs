namespace EdgeBroker.Mqtt.Server;

using System.Buffers;
using EdgeBroker.Core.Messages;
using EdgeBroker.Mqtt.Codec;

/// <summary>
/// PUBLISH ↔ <see cref="Message"/> (DESIGN.md "One vocabulary"): v5 user properties are the message headers,
/// content type, response topic, correlation data, payload format and message expiry map one to one.
/// The payload is copied once, out of the pipe buffer, into the message; every subscriber shares that buffer.
/// Stateless and thread-safe.
/// </summary>
internal static class MqttMessageMapper
{
    /// <summary>The header a client may use to set the partition/compaction key (shared with STOMP's <c>key</c>).</summary>
    public const string KeyHeader = "key";

    public static Message ToMessage(MqttPublishPacket packet, string topic, MessageOrigin origin, long nowMs)
    {
        var properties = packet.Properties;
        IReadOnlyList<MessageHeader> headers = [];
        string? key = null;
        if (properties?.UserProperties is { Count: > 0 } user)
        {
            var list = new MessageHeader[user.Count];
            for (var i = 0; i < user.Count; i++)
            {
                list[i] = new MessageHeader(user[i].Name, user[i].Value);
                if (key is null && string.Equals(user[i].Name, KeyHeader, StringComparison.Ordinal))
                {
                    key = user[i].Value;
                }
            }

            headers = list;
        }

        return new Message
        {
            Topic = topic,
            Payload = packet.Payload.IsEmpty ? ReadOnlyMemory<byte>.Empty : packet.Payload.ToArray(),
            ContentType = properties?.ContentType,
            PayloadFormat = properties?.PayloadFormatIndicator == MqttPayloadFormatIndicator.Utf8 ? PayloadFormat.Utf8 : PayloadFormat.Unspecified,
            CorrelationData = properties?.CorrelationData,
            ResponseTopic = properties?.ResponseTopic,
            Headers = headers,
            ExpiryInterval = properties?.MessageExpiryInterval is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            TimestampMs = nowMs,
            Key = key,
            Qos = (QualityOfService)packet.Qos,
            Retain = packet.Retain,
            Persistent = packet.Qos != MqttQos.AtMostOnce,
            Origin = origin,
        };
    }

    /// <summary>
    /// The PUBLISH for <paramref name="item"/>. <paramref name="topic"/> is empty when a known topic alias stands
    /// for it. [MQTT-3.3.2-6] the expiry sent is what is left of the interval.
    /// </summary>
    public static MqttPublishPacket ToPublishPacket(OutboundItem item, MqttProtocolVersion version, string topic, ushort topicAlias, uint? remainingExpirySeconds)
    {
        var message = item.Message!;
        MqttProperties? properties = null;
        if (version == MqttProtocolVersion.V500)
        {
            var hasAny = message.ContentType is not null || message.PayloadFormat != PayloadFormat.Unspecified || !message.CorrelationData.IsEmpty
                || message.ResponseTopic is not null || message.Headers.Count > 0 || remainingExpirySeconds is not null
                || item.SubscriptionIdentifiers is { Length: > 0 } || topicAlias != 0;
            if (hasAny)
            {
                properties = new MqttProperties
                {
                    ContentType = message.ContentType,
                    PayloadFormatIndicator = message.PayloadFormat == PayloadFormat.Utf8 ? MqttPayloadFormatIndicator.Utf8 : null,
                    CorrelationData = message.CorrelationData.IsEmpty ? null : message.CorrelationData.ToArray(),
                    ResponseTopic = message.ResponseTopic,
                    MessageExpiryInterval = remainingExpirySeconds,
                    TopicAlias = topicAlias == 0 ? null : topicAlias,
                    SubscriptionIdentifiers = item.SubscriptionIdentifiers is { Length: > 0 } ids ? [.. ids] : null,
                    UserProperties = message.Headers.Count > 0 ? [.. message.Headers.Select(h => new MqttUserProperty(h.Name, h.Value))] : null,
                };
            }
        }

        return new MqttPublishPacket
        {
            Topic = topic,
            Qos = item.Qos,
            Dup = item.Dup && item.Qos != MqttQos.AtMostOnce,
            Retain = item.Retain,
            PacketId = item.Qos == MqttQos.AtMostOnce ? (ushort)0 : item.PacketId,
            Payload = new ReadOnlySequence<byte>(message.Payload),
            Properties = properties,
        };
    }

    /// <summary>The v5 reason code for a publish outcome (PUBACK/PUBREC).</summary>
    public static MqttReasonCode ToReasonCode(Core.Routing.PublishOutcome outcome) => outcome switch
    {
        Core.Routing.PublishOutcome.Accepted => MqttReasonCode.Success,
        Core.Routing.PublishOutcome.NoMatchingSubscribers => MqttReasonCode.NoMatchingSubscribers,
        Core.Routing.PublishOutcome.Rejected => MqttReasonCode.QuotaExceeded,
        Core.Routing.PublishOutcome.NotAuthorized => MqttReasonCode.NotAuthorized,
        Core.Routing.PublishOutcome.InvalidTopic => MqttReasonCode.TopicNameInvalid,
        _ => MqttReasonCode.UnspecifiedError,
    };
}
