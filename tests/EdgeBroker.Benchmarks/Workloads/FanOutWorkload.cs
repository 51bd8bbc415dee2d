namespace EdgeBroker.Benchmarks.Workloads;

using EdgeBroker.Core.Broker;
using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Queues;
using EdgeBroker.Core.Retained;
using EdgeBroker.Core.Routing;
using EdgeBroker.Core.Security;
using EdgeBroker.Storage;

/// <summary>
/// The routing core's fan-out without sockets: one QoS 0 publish on the default exchange delivered to
/// <c>subscribers</c> live subscribers (fake <see cref="ISubscriber"/>s that only count), i.e. the trie match,
/// the per-subscriber grouping and one <see cref="ISubscriber.TryDeliver"/> call each. Stores live in a temp
/// directory (nothing durable is touched by a QoS 0 topic publish). Dispose to delete it.
/// Not thread-safe.
/// </summary>
public sealed class FanOutWorkload : IAsyncDisposable
{
    public const string Topic = "fan/out/room-1/temperature";

    private readonly string _directory;
    private readonly LogQueueStore _queues;
    private readonly LogRetainedStore _retained;
    private readonly Broker _broker;
    private readonly Message _message;
    private readonly CountingSubscriber[] _subscribers;
    private bool _disposed;

    public FanOutWorkload(int subscribers)
    {
        _directory = Path.Combine(Path.GetTempPath(), "eb-fanout-" + Guid.NewGuid().ToString("N"));
        var options = new LogOptions { Fsync = FsyncPolicy.Never, SegmentBytes = 4 << 20, MaxRecordBytes = 2 << 20 };
        _queues = LogQueueStore.Open(Path.Combine(_directory, "queues"), options);
        _retained = LogRetainedStore.Open(Path.Combine(_directory, "retained"), options);
        _broker = new Broker(new BrokerOptions(), _queues, _retained, AllowAllAuthorizer.Instance, TimeProvider.System);
        _subscribers = new CountingSubscriber[subscribers];
        for (var i = 0; i < subscribers; i++)
        {
            _subscribers[i] = new CountingSubscriber(new ClientIdentity(ProtocolKind.Mqtt, "sub-" + i, null, null));
            _broker.Subscribe(_subscribers[i], i % 2 == 0 ? Topic : "fan/out/+/temperature", new SubscriptionOptions(), sendRetained: false);
        }

        _message = new Message { Topic = Topic, Payload = new byte[128] };
    }

    public long Delivered => _subscribers.Sum(s => s.Count);

    public int Publish()
    {
        var pending = _broker.PublishAsync(_message, publisher: null);
        // A QoS 0 topic publish completes synchronously; anything else would be a regression worth seeing.
        return pending.IsCompletedSuccessfully ? (int)pending.Result.Outcome : -1;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _queues.DisposeAsync();
        await _retained.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class CountingSubscriber(ClientIdentity client) : ISubscriber
    {
        public long Count;

        public ClientIdentity Client { get; } = client;

        public bool TryDeliver(Message message, ReadOnlySpan<ISubscription> matched, bool isRetained)
        {
            Count++;
            return true;
        }
    }
}
