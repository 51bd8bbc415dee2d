namespace EdgeBroker.Mqtt.Server;

using EdgeBroker.Core;
using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Queues;
using EdgeBroker.Core.Routing;
using EdgeBroker.Core.Topics;
using EdgeBroker.Mqtt.Codec;

/// <summary>
/// SUBSCRIBE/UNSUBSCRIBE. Every filter gets its own reason code ([MQTT-3.9.3-1]). Where messages come from:
/// <code>
///  non-persistent session   live core subscription (ISubscriber), retained sent by the core on subscribe
///  persistent session       binding default exchange --filter--> session queue; retained via RetainedForwarder
///  $share/&lt;g&gt;/&lt;f&gt;             binding default exchange --f--> group queue; each member a competing consumer
/// </code>
/// Validation runs first and SUBACK is sent before live subscriptions start, so retained messages follow it.
/// </summary>
internal sealed partial class MqttConnection
{
    private readonly Dictionary<string, ISubscription> _liveSubscriptions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, QueueSink> _sharedSinks = new(StringComparer.Ordinal);
    private QueueSink? _sessionSink;

    private async ValueTask<bool> HandleSubscribeAsync(MqttSubscribePacket subscribe)
    {
        var session = _session!;
        var v5 = _version == MqttProtocolVersion.V500;
        var broker = _server.Broker;
        var identifier = subscribe.Properties?.SubscriptionIdentifiers is { Count: > 0 } ids ? ids[0] : 0u;
        var codes = new MqttReasonCode[subscribe.Subscriptions.Count];
        var accepted = new List<(MqttSessionSubscription Subscription, bool Existed)>(codes.Length);
        var streams = new List<MqttStreamSubscription>();
        for (var i = 0; i < codes.Length; i++)
        {
            var requested = subscribe.Subscriptions[i];
            var filter = requested.TopicFilter;
            if (MqttStreamFilter.IsStream(filter))
            {
                codes[i] = SubscribeStream(requested, identifier, streams); // MqttConnection.Streams.cs
                continue;
            }

            var shared = TopicFilter.IsShared(filter);
            if (shared && requested.NoLocal)
            {
                return Fail(MqttReasonCode.ProtocolError, "[MQTT-3.8.3-4] No Local on a shared subscription");
            }

            if (TopicFilter.Validate(filter) != TopicError.None || (shared && !TopicFilter.TryParseShared(filter, out _, out _)))
            {
                codes[i] = v5 ? MqttReasonCode.TopicFilterInvalid : MqttReasonCode.UnspecifiedError;
                continue;
            }

            if (!broker.Authorizer.CanSubscribe(Client, filter))
            {
                codes[i] = v5 ? MqttReasonCode.NotAuthorized : MqttReasonCode.UnspecifiedError;
                continue;
            }

            var existed = session.TryGetSubscription(filter, out _);
            if (!existed && session.SubscriptionCount >= _options.MaxSubscriptionsPerSession)
            {
                codes[i] = v5 ? MqttReasonCode.QuotaExceeded : MqttReasonCode.UnspecifiedError;
                continue;
            }

            var subscription = MqttSessionSerializer.Create(filter, requested.Qos, requested.NoLocal, requested.RetainAsPublished, requested.RetainHandling, identifier);
            try
            {
                Bind(session, subscription);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or UnauthorizedAccessException)
            {
                MqttLog.SubscriptionRestoreFailed(_server.Logger, session.ClientId, filter, ex.Message);
                codes[i] = MqttReasonCode.UnspecifiedError;
                continue;
            }

            session.SetSubscription(subscription);
            codes[i] = (MqttReasonCode)(byte)requested.Qos; // granted QoS = requested: all three are supported
            accepted.Add((subscription, existed));
        }

        if (session.IsPersistent && accepted.Count > 0 && !await TrySaveSessionAsync(session).ConfigureAwait(false))
        {
            RequestClose(MqttReasonCode.UnspecifiedError, "session state could not be saved");
            return false;
        }

        // Live subscriptions exist before SUBACK leaves: a client that publishes as soon as it sees SUBACK (or tells
        // another client to) must not have that message routed past a subscription that is not there yet.
        foreach (var (subscription, _) in accepted)
        {
            OpenLive(session, subscription);
        }

        Enqueue(new MqttSubAckPacket { PacketId = subscribe.PacketId, ReasonCodes = codes });
        foreach (var (subscription, existed) in accepted)
        {
            Activate(session, subscription, existed);
        }

        foreach (var stream in streams)
        {
            stream.Consumer!.Start();
        }

        return true;
    }

    private async ValueTask<bool> HandleUnsubscribeAsync(MqttUnsubscribePacket unsubscribe)
    {
        var session = _session!;
        var codes = new MqttReasonCode[unsubscribe.TopicFilters.Count];
        var changed = false;
        for (var i = 0; i < codes.Length; i++)
        {
            var filter = unsubscribe.TopicFilters[i];
            if (UnsubscribeStream(filter))
            {
                codes[i] = MqttReasonCode.Success;
                continue;
            }

            if (!session.TryGetSubscription(filter, out var subscription) || subscription is null)
            {
                codes[i] = MqttReasonCode.NoSubscriptionExisted;
                continue;
            }

            session.RemoveSubscription(filter);
            changed = true;
            codes[i] = MqttReasonCode.Success;
            if (subscription.IsShared)
            {
                if (_sharedSinks.Remove(filter, out var sink))
                {
                    sink.Dispose();
                }
            }
            else if (session.QueueName is { } queue)
            {
                _server.Broker.Topology.Unbind(new BindingSpec(IBroker.DefaultExchange, filter, BindingTargetKind.Queue, queue));
            }
            else if (_liveSubscriptions.Remove(filter, out var live))
            {
                live.Dispose();
            }
        }

        if (changed && session.IsPersistent && !await TrySaveSessionAsync(session).ConfigureAwait(false))
        {
            RequestClose(MqttReasonCode.UnspecifiedError, "session state could not be saved");
            return false;
        }

        Enqueue(new MqttUnsubAckPacket { PacketId = unsubscribe.PacketId, ReasonCodes = _version == MqttProtocolVersion.V500 ? codes : [] });
        return true;
    }

    /// <summary>The durable part of a subscription (bindings), done before SUBACK.</summary>
    private void Bind(MqttSessionState session, MqttSessionSubscription subscription)
    {
        var topology = _server.Broker.Topology;
        if (subscription.SharedQueue is { } shared)
        {
            if (topology.GetQueue(shared) is null)
            {
                topology.DeclareQueue(shared, new QueueOptions { DeliveryLimit = null, DeadLetterQueue = string.Empty, MaxLength = _options.SessionQueueMaxLength });
            }

            topology.Bind(new BindingSpec(IBroker.DefaultExchange, subscription.InnerFilter, BindingTargetKind.Queue, shared));
        }
        else if (session.QueueName is { } queue)
        {
            topology.Bind(new BindingSpec(IBroker.DefaultExchange, subscription.Filter, BindingTargetKind.Queue, queue));
        }
    }

    /// <summary>Before SUBACK: a clean session's live subscription (a persistent one was bound to its queue already).</summary>
    private void OpenLive(MqttSessionState session, MqttSessionSubscription subscription)
    {
        if (subscription.IsShared || session.IsPersistent)
        {
            return;
        }

        try
        {
            // [MQTT-3.8.4-3] a subscription with the same filter replaces the existing one.
            if (_liveSubscriptions.Remove(subscription.Filter, out var previous))
            {
                previous.Dispose();
            }

            _liveSubscriptions[subscription.Filter] = _server.Broker.Subscribe(this, subscription.Filter, OptionsOf(subscription), sendRetained: false);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or UnauthorizedAccessException)
        {
            MqttLog.SubscriptionRestoreFailed(_server.Logger, session.ClientId, subscription.Filter, ex.Message);
        }
    }

    /// <summary>After SUBACK: shared consumption starts, and retained messages are sent per Retain Handling.</summary>
    private void Activate(MqttSessionState session, MqttSessionSubscription subscription, bool existed)
    {
        try
        {
            if (subscription.IsShared)
            {
                // [MQTT-4.8.2-…] retained messages are not sent for a shared subscription.
                StartShared(subscription);
                return;
            }

            var sendRetained = subscription.RetainHandling switch
            {
                MqttRetainHandling.SendAtSubscribe => true,
                MqttRetainHandling.SendAtSubscribeIfNew => !existed, // [MQTT-3.3.1-10]
                _ => false, // [MQTT-3.3.1-11]
            };
            if (sendRetained)
            {
                // Retained messages only, through a short-lived forwarder: live traffic already flows to the
                // subscription opened before SUBACK (clean session) or to the session queue (persistent).
                _server.Broker.Subscribe(new RetainedForwarder(this), subscription.Filter, OptionsOf(subscription), sendRetained: true).Dispose();
            }
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or UnauthorizedAccessException)
        {
            MqttLog.SubscriptionRestoreFailed(_server.Logger, session.ClientId, subscription.Filter, ex.Message);
        }
    }

    private static SubscriptionOptions OptionsOf(MqttSessionSubscription subscription) => new()
    {
        MaxQos = (QualityOfService)subscription.Qos,
        NoLocal = subscription.NoLocal,
        RetainAsPublished = subscription.RetainAsPublished,
        SubscriptionIdentifier = (int)subscription.SubscriptionIdentifier,
    };

    private void StartShared(MqttSessionSubscription subscription)
    {
        if (_sharedSinks.Remove(subscription.Filter, out var previous))
        {
            previous.Dispose();
        }

        var queue = subscription.SharedQueue!;
        var sink = new QueueSink(this, queue, subscription);
        _sharedSinks[subscription.Filter] = sink;
        sink.Attach(_server.Broker.Consume(queue, sink, new ConsumerOptions { Prefetch = _window }, consumer: null));
    }

    /// <summary>After CONNACK: a resumed session starts reading its queue (redelivering what was in flight, DUP set) and its $share groups.</summary>
    private void RestoreSubscriptions(MqttSessionState session)
    {
        try
        {
            if (session.QueueName is { } queue)
            {
                var sink = new QueueSink(this, queue, shared: null);
                _sessionSink = sink;
                sink.Attach(_server.Broker.Consume(queue, sink, new ConsumerOptions { Prefetch = _window }, consumer: null));
            }

            foreach (var subscription in session.Subscriptions)
            {
                if (subscription.IsShared)
                {
                    Bind(session, subscription);
                    StartShared(subscription);
                }
            }
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or UnauthorizedAccessException)
        {
            MqttLog.SubscriptionRestoreFailed(_server.Logger, session.ClientId, session.QueueName ?? "(shared)", ex.Message);
        }
    }

    /// <summary>Teardown: no new deliveries; unacknowledged queue deliveries go back to their queues.</summary>
    private void StopDeliveries()
    {
        foreach (var subscription in _liveSubscriptions.Values)
        {
            subscription.Dispose();
        }

        _liveSubscriptions.Clear();
        foreach (var sink in _sharedSinks.Values)
        {
            sink.Dispose();
        }

        _sharedSinks.Clear();
        _sessionSink?.Dispose();
        _sessionSink = null;
        StopStreamSubscriptions();
    }
}
