namespace EdgeBroker.Core.Clients;

using System.Text.Json;
using System.Threading.Channels;
using EdgeBroker.Core.Messages;

/// <summary>
/// An <see cref="IClientRegistry"/> decorator that announces presence for every protocol: on register a retained
/// <c>$SYS/clients/&lt;id&gt;/presence</c> "online" plus a <c>…/connected</c> event, on removal "offline" plus
/// <c>…/disconnected</c> (PresenceTopics). MQTT, STOMP and browser subscribers read them alike.
/// Announcements go through one channel drained by one loop, so a client's online/offline pair is published in
/// order (the retained value ends as the latest state) and an adapter's connect path never waits for storage.
/// When the publish fails (broker stopping, disk alarm) the announcement is dropped: presence is advisory.
/// Thread-safe.
/// </summary>
public sealed class PresenceRegistry : IClientRegistry, IAsyncDisposable
{
    private readonly IClientRegistry _inner;
    private readonly Func<IBroker?> _brokerSource;
    private readonly TimeProvider _time;
    private readonly Channel<Announcement> _announcements = Channel.CreateUnbounded<Announcement>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _publisher;

    public PresenceRegistry(IClientRegistry inner, Func<IBroker?> brokerSource, TimeProvider time)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _brokerSource = brokerSource ?? throw new ArgumentNullException(nameof(brokerSource));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _publisher = Task.Run(PublishLoopAsync);
    }

    public IReadOnlyList<ClientRegistration> Clients => _inner.Clients;

    public IDisposable Register(ClientRegistration client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var handle = _inner.Register(client);
        _announcements.Writer.TryWrite(new Announcement(client, Online: true, _time.GetUtcNow()));
        return new Handle(this, client, handle);
    }

    public int Count(ProtocolKind protocol) => _inner.Count(protocol);

    public int Disconnect(ProtocolKind protocol, string clientId, string reason) => _inner.Disconnect(protocol, clientId, reason);

    public async ValueTask DisposeAsync()
    {
        _announcements.Writer.TryComplete();
        try
        {
            // Bounded: at shutdown the broker may already be stopping; presence must never hold the host up.
            await _publisher.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
    }

    private async Task PublishLoopAsync()
    {
        var reset = false;
        await foreach (var announcement in _announcements.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (!reset && _brokerSource() is { } started)
            {
                reset = true;
                await MarkStaleClientsOfflineAsync(started).ConfigureAwait(false);
            }

            if (_brokerSource() is not { } broker)
            {
                continue;
            }

            try
            {
                var payload = Payload(announcement);
                var client = announcement.Client;
                var state = CreateMessage(PresenceTopics.Presence(client.ClientId), payload, announcement.At, retain: true);
                var change = CreateMessage(announcement.Online ? PresenceTopics.Connected(client.ClientId) : PresenceTopics.Disconnected(client.ClientId), payload, announcement.At, retain: false);
                await broker.PublishAsync(state, publisher: null).ConfigureAwait(false);
                await broker.PublishAsync(change, publisher: null).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException or IOException or ArgumentException)
            {
                // Advisory data: a stopping broker or a client id that makes no valid topic must not stop the loop.
            }
        }
    }

    /// <summary>
    /// After a crash or restart nobody is connected, yet retained presence may still say "online": every such
    /// client is announced offline before the first new announcement, so the retained state is never stale.
    /// </summary>
    private async Task MarkStaleClientsOfflineAsync(IBroker broker)
    {
        var collector = new RetainedCollector();
        try
        {
            broker.Subscribe(collector, PresenceTopics.Prefix + "+/presence", new Routing.SubscriptionOptions(), sendRetained: true).Dispose();
            foreach (var stale in collector.Online)
            {
                var at = _time.GetUtcNow();
                var payload = Payload(new Announcement(stale, Online: false, at));
                await broker.PublishAsync(CreateMessage(PresenceTopics.Presence(stale.ClientId), payload, at, retain: true), publisher: null).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException or IOException or ArgumentException)
        {
            // Advisory data (see the class comment).
        }
    }

    private static Message CreateMessage(string topic, byte[] payload, DateTimeOffset at, bool retain) => new()
    {
        Topic = topic,
        Payload = payload,
        ContentType = "application/json",
        PayloadFormat = PayloadFormat.Utf8,
        TimestampMs = at.ToUnixTimeMilliseconds(),
        Retain = retain,
        Qos = QualityOfService.AtLeastOnce,
    };

    private static byte[] Payload(Announcement announcement)
    {
        var client = announcement.Client;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("state", announcement.Online ? "online" : "offline");
            json.WriteString("clientId", client.ClientId);
            json.WriteString("protocol", client.Protocol.ToString().ToLowerInvariant());
            json.WriteString("address", client.RemoteAddress);
            json.WriteString("user", client.UserName);
            json.WriteNumber("time", announcement.At.ToUnixTimeMilliseconds());
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private readonly record struct Announcement(ClientRegistration Client, bool Online, DateTimeOffset At);

    private sealed class Handle(PresenceRegistry owner, ClientRegistration client, IDisposable inner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                inner.Dispose();
                owner._announcements.Writer.TryWrite(new Announcement(client, Online: false, owner._time.GetUtcNow()));
            }
        }
    }

    /// <summary>Collects the retained presence messages that say "online" (delivered synchronously by Subscribe).</summary>
    private sealed class RetainedCollector : Routing.ISubscriber
    {
        public Security.ClientIdentity Client { get; } = new(ProtocolKind.Internal, "$presence", null, null);

        public List<ClientRegistration> Online { get; } = [];

        public bool TryDeliver(Message message, ReadOnlySpan<Routing.ISubscription> matched, bool isRetained)
        {
            if (!isRetained)
            {
                return true;
            }

            try
            {
                using var json = JsonDocument.Parse(message.Payload);
                var root = json.RootElement;
                if (root.GetProperty("state").GetString() == "online"
                    && Enum.TryParse<ProtocolKind>(root.GetProperty("protocol").GetString(), ignoreCase: true, out var protocol))
                {
                    Online.Add(new ClientRegistration(protocol, root.GetProperty("clientId").GetString() ?? "", root.GetProperty("user").GetString(), root.GetProperty("address").GetString(), default)
                    {
                        Disconnect = static _ => { },
                    });
                }
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                // Not ours (someone else's retained message under $SYS/clients): leave it.
            }

            return true;
        }
    }
}
