namespace EdgeBroker.Server.Hub;

using EdgeBroker.Core;
using EdgeBroker.Core.Clients;
using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Routing;
using EdgeBroker.Core.Security;
using EdgeBroker.Server.Hosting;
using EdgeBroker.Server.Hub.Contracts;
using EdgeBroker.Server.Logging;
using Microsoft.AspNetCore.SignalR;

/// <summary>
/// The SignalR hub at <c>/hubs/broker</c> (JSON hub protocol): browsers subscribe to topic filters, publish,
/// read and follow streams and watch live stats, through <see cref="IBroker"/> like every other adapter and
/// under the same authorization hook. The method set is documented in README.md, "SignalR hub".
/// A hub instance lives for one invocation; the connection's state is the <see cref="HubSubscriber"/> kept in
/// <see cref="HubCallerContext.Items"/>. Thread-safety: SignalR runs one invocation at a time per connection
/// (MaximumParallelInvocationsPerClient = 1); deliveries reach the subscriber from publisher threads.
/// </summary>
internal sealed class BrokerHub(
    BrokerAccessor accessor,
    HubCounters counters,
    StatsSampler sampler,
    IClientRegistry clients,
    IHubContext<BrokerHub> hubContext,
    TimeProvider time,
    Core.Limits.PublishLimits publishing,
    ILogger<BrokerHub> logger) : Microsoft.AspNetCore.SignalR.Hub
{
    private const string SubscriberKey = "EdgeBroker.HubSubscriber";
    private const string RegistrationKey = "EdgeBroker.ClientRegistration";
    private const string PublishGateKey = "EdgeBroker.PublishGate";

    public override async Task OnConnectedAsync()
    {
        var http = Context.GetHttpContext();
        var broker = Broker();
        var result = http is null
            ? new AuthenticationResult(AuthenticationOutcome.NotAuthorized, null)
            : await HubAuthentication.AuthenticateAsync(http, broker.Authorizer, Context.ConnectionId, Context.ConnectionAborted).ConfigureAwait(false);
        var remote = http?.Connection.RemoteIpAddress is { } ip ? ip + ":" + http.Connection.RemotePort.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        if (!result.Succeeded || result.Identity is not { } identity)
        {
            HubLog.Refused(logger, remote, result.Outcome.ToString());
            throw new HubException("not authorized: the broker refused the credentials");
        }

        var subscriber = new HubSubscriber(identity, Context.ConnectionId, hubContext.Clients.Client(Context.ConnectionId), counters, logger);
        Context.Items[SubscriberKey] = subscriber;
        Context.Items[PublishGateKey] = publishing.CreateGate();
        var context = Context;
        var connectionId = Context.ConnectionId;
        Context.Items[RegistrationKey] = clients.Register(new ClientRegistration(ProtocolKind.SignalR, connectionId, identity.UserName, remote, time.GetUtcNow())
        {
            SubscriptionCount = () => subscriber.SubscriptionCount,
            Disconnect = reason =>
            {
                HubLog.ClosedByOperator(logger, connectionId, reason);
                context.Abort();
            },
        });
        subscriber.Start();
        counters.CountConnected();
        HubLog.Connected(logger, connectionId, remote, identity.UserName);
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        (Item(RegistrationKey) as IDisposable)?.Dispose();
        if (Item(SubscriberKey) is HubSubscriber subscriber)
        {
            await subscriber.DisposeAsync().ConfigureAwait(false);
            counters.CountDisconnected();
            HubLog.Disconnected(logger, Context.ConnectionId, subscriber.Dropped);
        }
    }

    /// <summary>Subscribes to an MQTT-style topic filter; retained messages of matching topics come first.</summary>
    public string Subscribe(string filter)
    {
        var subscriber = Subscriber();
        var id = subscriber.NextId();
        ISubscription subscription;
        try
        {
            subscription = Broker().Subscribe(subscriber, filter, new SubscriptionOptions { Tag = id }, sendRetained: true);
        }
        catch (UnauthorizedAccessException)
        {
            throw new HubException($"not authorized: subscribe to '{filter}'");
        }
        catch (ArgumentException ex)
        {
            throw new HubException($"invalid filter: {ex.Message}");
        }

        subscriber.Add(id, subscription);
        return id;
    }

    /// <summary>Ends a subscription, stream follow or stats watch; an unknown id is ignored.</summary>
    public void Unsubscribe(string subscriptionId) => Subscriber().Remove(subscriptionId);

    /// <summary>
    /// Publishes through the default exchange; completes once every durable target accepted it (R3). Refused while the
    /// memory alarm is on: a hub call cannot be held back by TCP flow control the way a streaming publisher is. Over
    /// the connection's message rate it waits for its turn.
    /// </summary>
    public async Task<HubPublishResult> Publish(HubPublishRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var subscriber = Subscriber();
        if (accessor.Alarms.MemoryReason is { } memoryAlarm)
        {
            throw new HubException("unavailable: " + memoryAlarm);
        }

        // Limits:PublishMessagesPerSecond: the invocation waits for its token; with one invocation at a time per
        // connection the client's next calls queue behind it, as MQTT and STOMP publishers wait unread.
        if (Context.Items[PublishGateKey] is Core.Limits.PublishGate gate && !gate.TryPass())
        {
            await gate.WaitAsync(Context.ConnectionAborted).ConfigureAwait(false);
        }

        if (!PayloadEncoding.TryDecode(request.Payload, request.Encoding, out var payload, out var error))
        {
            throw new HubException("invalid payload: " + error);
        }

        if (request.Qos is < 0 or > 2)
        {
            throw new HubException($"invalid qos: must be 0, 1 or 2 (was {request.Qos})");
        }

        var qos = (QualityOfService)(request.Qos ?? 0);
        var message = new Message
        {
            Topic = request.Topic ?? string.Empty,
            Payload = payload,
            ContentType = request.ContentType,
            PayloadFormat = request.Encoding is null || string.Equals(request.Encoding, PayloadEncoding.Text, StringComparison.OrdinalIgnoreCase) ? PayloadFormat.Utf8 : PayloadFormat.Unspecified,
            Headers = request.Headers is { Count: > 0 } headers ? [.. headers.Select(h => new MessageHeader(h.Key, h.Value))] : [],
            TimestampMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
            Qos = qos,
            Retain = request.Retain ?? false,
            Persistent = qos != QualityOfService.AtMostOnce,
            Origin = new MessageOrigin(ProtocolKind.SignalR, subscriber.Client.ClientId),
        };
        var result = await Broker().PublishAsync(message, subscriber.Client, Context.ConnectionAborted).ConfigureAwait(false);
        return result.Outcome == PublishOutcome.NotAuthorized
            ? throw new HubException($"not authorized: publish to '{message.Topic}'")
            : new HubPublishResult(result.Outcome.ToString(), result.Reason);
    }

    /// <summary>History: up to max (default 100, at most 1000) records of a stream from a position.</summary>
    public Task<IReadOnlyList<HubStreamRecord>> ReadStream(HubStreamRequest request) =>
        HubStreams.ReadAsync(Stream(request), request, Context.ConnectionAborted);

    /// <summary>Reads a stream from a position and keeps sending new records as <c>streamRecord</c> events.</summary>
    public string FollowStream(HubStreamRequest request)
    {
        var stream = Stream(request);
        var subscriber = Subscriber();
        var id = subscriber.NextId();
        var connectionId = Context.ConnectionId;
        subscriber.Add(id, HubStreams.Follow(stream, request, subscriber, id, reason => HubLog.SendFailed(logger, connectionId, "stream follow ended: " + reason)));
        return id;
    }

    /// <summary>Sends a <c>stats</c> event now and then every second until unsubscribed.</summary>
    public string WatchStats()
    {
        var subscriber = Subscriber();
        var id = subscriber.NextId();
        var cts = CancellationTokenSource.CreateLinkedTokenSource(subscriber.Closed);
        _ = Task.Run(() => WatchAsync(sampler, subscriber, id, time, cts.Token));
        subscriber.Add(id, new CancelOnDispose(cts));
        return id;
    }

    /// <summary>Known topics with their last value (the retained messages this client may subscribe to).</summary>
    public IReadOnlyList<HubTopicInfo> ListTopics()
    {
        var collector = new RetainedCollector(Subscriber().Client);
        try
        {
            using var subscription = Broker().Subscribe(collector, "#", new SubscriptionOptions(), sendRetained: true);
        }
        catch (UnauthorizedAccessException)
        {
            throw new HubException("not authorized: subscribe to '#'");
        }

        return [.. collector.Topics.OrderBy(t => t.Topic, StringComparer.Ordinal)];
    }

    private static async Task WatchAsync(StatsSampler sampler, HubSubscriber subscriber, string id, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            do
            {
                if (sampler.Current() is { } stats)
                {
                    // Skipped when the channel is full: a slow browser gets fewer ticks, never a stale backlog.
                    subscriber.TryEnqueue(HubOutbound.Event(HubOutbound.StatsMethod, id, stats with { SubscriptionId = id }));
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // Unsubscribed or disconnected.
        }
    }

    private IBroker Broker() => accessor.TryGetBroker(out var broker) ? broker : throw new HubException("unavailable: the broker is starting or shutting down");

    private HubSubscriber Subscriber() =>
        Item(SubscriberKey) as HubSubscriber ?? throw new HubException("not authorized: the connection is not authenticated");

    private object? Item(string key) => Context.Items.TryGetValue(key, out var value) ? value : null;

    private Core.Streams.StreamLog Stream(HubStreamRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var store = accessor.Runtime?.Streams ?? throw new HubException("unavailable: this broker runs without a stream store");
        var name = request.Stream ?? throw new HubException("invalid request: 'stream' is required");
        if (!Broker().Authorizer.CanReadStream(Subscriber().Client, name))
        {
            throw new HubException($"not authorized: read stream '{name}'");
        }

        return store.Get(name) ?? throw new HubException($"unknown stream: '{name}'");
    }

    private sealed class CancelOnDispose(CancellationTokenSource cts) : IDisposable
    {
        public void Dispose() => cts.Cancel();
    }

    /// <summary>Collects the retained messages a temporary subscription receives (synchronously, inside Subscribe).</summary>
    private sealed class RetainedCollector(ClientIdentity client) : ISubscriber
    {
        public ClientIdentity Client { get; } = client;

        public List<HubTopicInfo> Topics { get; } = [];

        public bool TryDeliver(Message message, ReadOnlySpan<ISubscription> matched, bool isRetained)
        {
            if (isRetained)
            {
                var (payload, encoding) = PayloadEncoding.Encode(message.Payload.Span);
                Topics.Add(new HubTopicInfo(message.Topic, payload, encoding, message.ContentType, message.TimestampMs, Retained: true));
            }

            return true;
        }
    }
}
