namespace EdgeBroker.Server.Hub;

using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Routing;
using EdgeBroker.Core.Security;
using EdgeBroker.Server.Logging;
using Microsoft.AspNetCore.SignalR;

/// <summary>
/// The broker-side state of one hub connection: its identity, its live subscriptions, stream follows and stats
/// watches (all under one id space), and a bounded outbound channel drained by one writer task.
/// <para>Backpressure (RELIABILITY.md R12, STYLE.md #6): the broker calls <see cref="TryDeliver"/> on the
/// publisher's thread; it only tries to add a struct to the channel. When the browser reads slowly, the writer
/// waits on SignalR's flush, the channel fills, and further live messages for this connection are dropped and
/// counted; the broker is never slowed. Stream follows wait for room instead (they read from the log at their
/// own pace and lose nothing); stats ticks are skipped when there is no room.</para>
/// Thread-safety: <see cref="TryDeliver"/> from any thread; the maps are concurrent; one writer task.
/// </summary>
internal sealed class HubSubscriber : ISubscriber, IAsyncDisposable
{
    /// <summary>Default outbound capacity (messages) per connection.</summary>
    public const int DefaultCapacity = 1024;

    private readonly Channel<HubOutbound> _outbound;
    private readonly IClientProxy _client;
    private readonly HubCounters _counters;
    private readonly ILogger _logger;
    private readonly string _connectionId;
    private readonly ConcurrentDictionary<string, IDisposable> _subscriptions = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _closed = new();
    private readonly CancellationToken _closedToken;
    private Task _writer = Task.CompletedTask;
    private long _nextId;
    private long _dropped;
    private int _disposed;

    public HubSubscriber(ClientIdentity client, string connectionId, IClientProxy proxy, HubCounters counters, ILogger logger, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Client = client;
        _connectionId = connectionId;
        _client = proxy;
        _counters = counters;
        _logger = logger;
        _closedToken = _closed.Token;
        _outbound = Channel.CreateBounded<HubOutbound>(new BoundedChannelOptions(capacity)
        {
            // Wait mode with TryWrite only: a full channel makes TryWrite return false, which is the drop signal.
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    public ClientIdentity Client { get; }

    /// <summary>Ends when the connection closes; stream follows and stats watches stop with it.</summary>
    public CancellationToken Closed => _closedToken;

    /// <summary>Live messages dropped for this connection because its channel was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public int SubscriptionCount => _subscriptions.Count;

    /// <summary>A new id for a subscription, follow or watch of this connection (short, unique per connection).</summary>
    public string NextId() => "s" + Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);

    public void Start() => _writer = Task.Run(WriteLoopAsync);

    public bool TryDeliver(Message message, ReadOnlySpan<ISubscription> matched, bool isRetained)
    {
        var delivered = true;
        foreach (var subscription in matched)
        {
            if (subscription.Options.Tag is not string id)
            {
                continue;
            }

            if (!_outbound.Writer.TryWrite(HubOutbound.Live(message, id, isRetained)))
            {
                delivered = false;
                Interlocked.Increment(ref _dropped);
                _counters.CountDropped();
            }
        }

        return delivered;
    }

    /// <summary>Queues an event unless the channel is full (stats ticks: the next one comes in a second).</summary>
    public bool TryEnqueue(HubOutbound item) => _outbound.Writer.TryWrite(item);

    /// <summary>Queues an event, waiting for room (stream records: nothing may be skipped).</summary>
    public ValueTask EnqueueAsync(HubOutbound item, CancellationToken cancellationToken) => _outbound.Writer.WriteAsync(item, cancellationToken);

    public void Add(string id, IDisposable subscription)
    {
        if (!_subscriptions.TryAdd(id, subscription))
        {
            subscription.Dispose();
            throw new InvalidOperationException($"subscription id '{id}' is in use");
        }
    }

    public bool Remove(string id)
    {
        if (_subscriptions.TryRemove(id, out var subscription))
        {
            subscription.Dispose();
            return true;
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var id in _subscriptions.Keys)
        {
            Remove(id);
        }

        _outbound.Writer.TryComplete();
        await _closed.CancelAsync().ConfigureAwait(false);
        try
        {
            await _writer.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Closed while sending.
        }

        _closed.Dispose();
    }

    private async Task WriteLoopAsync()
    {
        var token = _closedToken;
        try
        {
            await foreach (var item in _outbound.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                var payload = item.Message is { } message ? HubEvents.ToMessage(message, item.SubscriptionId, item.Retained) : item.Payload;

                // Awaiting the send is the backpressure: SignalR completes it once the transport took the bytes.
                await _client.SendAsync(item.Method, payload, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The connection closed.
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException)
        {
            HubLog.SendFailed(_logger, _connectionId, ex.Message);
        }
    }
}
