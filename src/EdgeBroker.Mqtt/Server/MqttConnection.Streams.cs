namespace EdgeBroker.Mqtt.Server;

using System.Globalization;
using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Streams;
using EdgeBroker.Core.Topics;
using EdgeBroker.Mqtt.Codec;

/// <summary>
/// <c>$stream/</c> subscriptions (<see cref="MqttStreamFilter"/>): replay a stream to this client, then follow it.
/// They live as long as the connection (not stored in a persistent session); a group member resumes from the
/// group's committed offsets when it subscribes again. PUBLISH keeps the record's own topic; v5 clients also get
/// the user properties <c>x-stream-partition</c>, <c>x-stream-offset</c> and <c>x-stream-timestamp</c>.
/// </summary>
internal sealed partial class MqttConnection
{
    private const string PartitionProperty = "x-stream-partition";
    private const string OffsetProperty = "x-stream-offset";
    private const string TimestampProperty = "x-stream-timestamp";

    private readonly Dictionary<string, MqttStreamSubscription> _streamSubscriptions = new(StringComparer.Ordinal);

    /// <summary>Validates and opens a stream subscription (delivery starts after SUBACK); returns the reason code.</summary>
    private MqttReasonCode SubscribeStream(MqttSubscription requested, uint identifier, List<MqttStreamSubscription> started)
    {
        var v5 = _version == MqttProtocolVersion.V500;
        var filter = MqttStreamFilter.Parse(requested.TopicFilter, out var error);
        var streams = _server.Broker.Streams;
        if (filter is null)
        {
            MqttLog.SubscriptionRestoreFailed(_server.Logger, ClientId ?? "?", requested.TopicFilter, error ?? "invalid");
            return v5 ? MqttReasonCode.TopicFilterInvalid : MqttReasonCode.UnspecifiedError;
        }

        if (streams?.Get(filter.Stream) is not { } stream)
        {
            MqttLog.SubscriptionRestoreFailed(_server.Logger, ClientId ?? "?", requested.TopicFilter, $"stream '{filter.Stream}' does not exist");
            return v5 ? MqttReasonCode.TopicFilterInvalid : MqttReasonCode.UnspecifiedError;
        }

        if (!_server.Broker.Authorizer.CanReadStream(Client, filter.Stream))
        {
            return v5 ? MqttReasonCode.NotAuthorized : MqttReasonCode.UnspecifiedError;
        }

        var qos = requested.Qos == MqttQos.AtMostOnce ? MqttQos.AtMostOnce : MqttQos.AtLeastOnce;
        var subscription = new MqttStreamSubscription(filter, requested.TopicFilter, qos, identifier);
        try
        {
            var group = filter.Group is { } name ? streams.Group(filter.Stream, name) : null;
            var mode = qos == MqttQos.AtMostOnce ? GroupDeliveryMode.AtMostOnce : GroupDeliveryMode.AtLeastOnce;
            var prefetch = Math.Clamp(_window * 2, 16, 1024);
            var topicFilter = filter.TopicFilter;
            Func<StreamRecord, bool>? accept = topicFilter == "#" ? null : record => TopicFilter.Matches(topicFilter, record.Message.Topic);
            subscription.Consumer = new StreamPushConsumer(stream, group, filter.Start, mode, prefetch, (record, sequence) => DeliverFromStream(subscription, record, sequence), accept);
        }
        catch (Exception ex) when (ex is ArgumentException or KeyNotFoundException or InvalidOperationException)
        {
            MqttLog.SubscriptionRestoreFailed(_server.Logger, ClientId ?? "?", requested.TopicFilter, ex.Message);
            return MqttReasonCode.UnspecifiedError;
        }

        // [MQTT-3.8.4-3] the same filter again replaces the subscription.
        if (_streamSubscriptions.Remove(requested.TopicFilter, out var previous))
        {
            previous.Dispose();
        }

        _streamSubscriptions[requested.TopicFilter] = subscription;
        started.Add(subscription);
        return (MqttReasonCode)(byte)qos;
    }

    private bool UnsubscribeStream(string filter)
    {
        if (!_streamSubscriptions.Remove(filter, out var subscription))
        {
            return false;
        }

        subscription.Dispose();
        return true;
    }

    private void StopStreamSubscriptions()
    {
        foreach (var subscription in _streamSubscriptions.Values)
        {
            subscription.Dispose();
        }

        _streamSubscriptions.Clear();
    }

    /// <summary>Consumer loop thread: one record into the outbound path (QoS 1 waits in the in-flight window).</summary>
    private bool DeliverFromStream(MqttStreamSubscription subscription, StreamRecord record, long sequence)
    {
        if (Volatile.Read(ref _closed) != 0)
        {
            return false;
        }

        var message = ForDelivery(record, _version == MqttProtocolVersion.V500);
        Offer(new OutboundItem
        {
            Message = message,
            Qos = subscription.Qos,
            SubscriptionIdentifiers = subscription.SubscriptionIdentifier > 0 ? [subscription.SubscriptionIdentifier] : null,
            Sink = subscription,
            DeliveryTag = sequence,
        });
        return true;
    }

    /// <summary>
    /// The record as PUBLISHed: its own topic; no expiry (a log is replayed long after publish time, and the
    /// record's retention is the stream's); v5 adds the partition, offset and timestamp as user properties.
    /// </summary>
    private static Message ForDelivery(StreamRecord record, bool v5)
    {
        var message = record.Message;
        IReadOnlyList<MessageHeader> headers = v5
            ? [
                .. message.Headers,
                new MessageHeader(PartitionProperty, record.Partition.ToString(CultureInfo.InvariantCulture)),
                new MessageHeader(OffsetProperty, record.Offset.ToString(CultureInfo.InvariantCulture)),
                new MessageHeader(TimestampProperty, record.TimestampMs.ToString(CultureInfo.InvariantCulture)),
            ]
            : message.Headers;
        return message.With(retain: false, headers: headers, withoutExpiry: true);
    }
}
