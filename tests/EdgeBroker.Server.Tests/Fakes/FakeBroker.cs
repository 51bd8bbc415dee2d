namespace EdgeBroker.Server.Tests.Fakes;

using EdgeBroker.Core;
using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Queues;
using EdgeBroker.Core.Routing;
using EdgeBroker.Core.Security;

/// <summary>
/// An in-memory stand-in for the routing core, just enough to exercise the host: topic exchanges with
/// MQTT filter bindings to queues, max-length rejection, a switch that makes durable targets fail, and a
/// deny-list authorizer. Thread-safe via one lock (tests only).
/// </summary>
internal sealed class FakeBroker : IBroker, IBrokerTopology, IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, ExchangeType> _exchanges = new(StringComparer.Ordinal) { [IBroker.DefaultExchange] = ExchangeType.Topic };
    private readonly List<BindingSpec> _bindings = [];
    private readonly Dictionary<string, FakeQueue> _queues = new(StringComparer.Ordinal);

    public IBrokerAuthorizer Authorizer { get; } = new DenyTopicAuthorizer("forbidden/");

    public IBrokerTopology Topology => this;

    public BrokerCounters Counters { get; } = new();

    /// <summary>When set, every durable target fails (storage error, F12).</summary>
    public bool FailStorage { get; set; }

    public bool Disposed { get; private set; }

    public IReadOnlyList<ExchangeInfo> Exchanges
    {
        get
        {
            lock (_gate)
            {
                return _exchanges.Select(e => new ExchangeInfo(e.Key, e.Value, _bindings.Count(b => b.Exchange == e.Key), e.Key == IBroker.DefaultExchange)).ToArray();
            }
        }
    }

    public IReadOnlyList<BindingSpec> Bindings
    {
        get
        {
            lock (_gate)
            {
                return _bindings.ToArray();
            }
        }
    }

    public IReadOnlyList<QueueStats> Queues
    {
        get
        {
            lock (_gate)
            {
                return _queues.Values.Select(q => q.Stats()).ToArray();
            }
        }
    }

    public ValueTask<PublishResult> PublishAsync(Message message, ClientIdentity? publisher, CancellationToken cancellationToken = default) =>
        PublishToExchangeAsync(IBroker.DefaultExchange, message, publisher, cancellationToken);

    public ValueTask<PublishResult> PublishToExchangeAsync(string exchange, Message message, ClientIdentity? publisher, CancellationToken cancellationToken = default)
    {
        if (!IsValidTopic(message.Topic))
        {
            return ValueTask.FromResult(new PublishResult(PublishOutcome.InvalidTopic, 0, 0, $"'{message.Topic}' is not a valid topic name"));
        }

        if (publisher is not null && !Authorizer.CanPublish(publisher, message.Topic))
        {
            return ValueTask.FromResult(new PublishResult(PublishOutcome.NotAuthorized, 0, 0, "denied"));
        }

        lock (_gate)
        {
            if (!_exchanges.ContainsKey(exchange))
            {
                return ValueTask.FromResult(new PublishResult(PublishOutcome.InvalidTopic, 0, 0, $"no exchange '{exchange}'"));
            }

            var targets = _bindings
                .Where(b => b.Exchange == exchange && b.TargetKind == BindingTargetKind.Queue && Matches(b.Pattern, message.Topic))
                .Select(b => b.Target)
                .Distinct()
                .Select(name => GetOrDeclare(name))
                .ToArray();
            return ValueTask.FromResult(Deliver(message, targets));
        }
    }

    public ValueTask<PublishResult> PublishToQueueAsync(string queue, Message message, ClientIdentity? publisher, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(Deliver(message, [GetOrDeclare(queue)]));
        }
    }

    public ISubscription Subscribe(ISubscriber subscriber, string filter, SubscriptionOptions options, bool sendRetained = true) => throw new NotSupportedException();

    public IQueueConsumer Consume(string queue, IQueueDeliveryTarget target, ConsumerOptions options, ClientIdentity? consumer) => throw new NotSupportedException();

    public ValueTask<IReadOnlyList<QueueDelivery>> FetchAsync(string queue, int max, ClientIdentity? consumer, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var q = GetOrDeclare(queue);
            var taken = q.Ready.Take(max).ToArray();
            q.Ready.RemoveRange(0, taken.Length);
            q.Delivered += taken.Length;
            foreach (var m in taken)
            {
                Counters.CountOut(m.Payload.Length);
            }

            IReadOnlyList<QueueDelivery> deliveries = taken.Select((m, i) => new QueueDelivery(queue, q.Delivered - taken.Length + i + 1, m, 1)).ToArray();
            return ValueTask.FromResult(deliveries);
        }
    }

    public void DeclareExchange(string name, ExchangeType type)
    {
        lock (_gate)
        {
            if (_exchanges.TryGetValue(name, out var existing) && existing != type)
            {
                throw new InvalidOperationException($"exchange '{name}' exists with type {existing}");
            }

            _exchanges[name] = type;
        }
    }

    public bool DeleteExchange(string name)
    {
        if (name == IBroker.DefaultExchange)
        {
            throw new InvalidOperationException("the default exchange cannot be deleted");
        }

        lock (_gate)
        {
            _bindings.RemoveAll(b => b.Exchange == name);
            return _exchanges.Remove(name);
        }
    }

    public void Bind(BindingSpec binding)
    {
        lock (_gate)
        {
            if (!_exchanges.ContainsKey(binding.Exchange))
            {
                throw new InvalidOperationException($"no exchange '{binding.Exchange}'");
            }

            if (!_bindings.Any(b => SameBinding(b, binding)))
            {
                _bindings.Add(binding);
            }
        }
    }

    public bool Unbind(BindingSpec binding)
    {
        lock (_gate)
        {
            return _bindings.RemoveAll(b => SameBinding(b, binding)) > 0;
        }
    }

    public void DeclareQueue(string name, QueueOptions options)
    {
        lock (_gate)
        {
            if (!_queues.ContainsKey(name))
            {
                _queues[name] = new FakeQueue(name, options);
            }
        }
    }

    public bool DeleteQueue(string name)
    {
        lock (_gate)
        {
            return _queues.Remove(name);
        }
    }

    public ValueTask<long> PurgeQueueAsync(string name)
    {
        lock (_gate)
        {
            var q = GetOrDeclare(name);
            long count = q.Ready.Count;
            q.Ready.Clear();
            return ValueTask.FromResult(count);
        }
    }

    public QueueStats? GetQueue(string name)
    {
        lock (_gate)
        {
            return _queues.TryGetValue(name, out var q) ? q.Stats() : null;
        }
    }

    public IReadOnlyList<Message> PeekQueue(string name, int max)
    {
        lock (_gate)
        {
            return _queues.TryGetValue(name, out var q) ? q.Ready.Take(max).ToArray() : [];
        }
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }

    internal static bool Matches(string filter, string topic)
    {
        var f = filter.Split('/');
        var t = topic.Split('/');
        for (var i = 0; i < f.Length; i++)
        {
            if (f[i] == "#")
            {
                return true;
            }

            if (i >= t.Length || (f[i] != "+" && f[i] != t[i]))
            {
                return false;
            }
        }

        return f.Length == t.Length;
    }

    private static bool IsValidTopic(string topic) =>
        topic.Length > 0 && !topic.Contains('+', StringComparison.Ordinal) && !topic.Contains('#', StringComparison.Ordinal) && !topic.Contains('\0', StringComparison.Ordinal);

    private static bool SameBinding(BindingSpec a, BindingSpec b) =>
        a.Exchange == b.Exchange && a.Pattern == b.Pattern && a.TargetKind == b.TargetKind && a.Target == b.Target;

    private FakeQueue GetOrDeclare(string name)
    {
        if (!_queues.TryGetValue(name, out var q))
        {
            q = new FakeQueue(name, new QueueOptions());
            _queues[name] = q;
        }

        return q;
    }

    private PublishResult Deliver(Message message, FakeQueue[] targets)
    {
        Counters.CountIn(message.Payload.Length);
        if (targets.Length == 0)
        {
            return new PublishResult(PublishOutcome.NoMatchingSubscribers, 0, 0);
        }

        if (FailStorage)
        {
            return new PublishResult(PublishOutcome.Failed, targets.Length, 0, "simulated write error");
        }

        foreach (var q in targets)
        {
            if (q.Options.MaxLength is { } max && q.Ready.Count >= max)
            {
                q.Rejected++;
                return new PublishResult(PublishOutcome.Rejected, targets.Length, 0, $"queue '{q.Name}' is full");
            }
        }

        foreach (var q in targets)
        {
            q.Ready.Add(message);
            q.Published++;
        }

        return new PublishResult(PublishOutcome.Accepted, targets.Length, 0);
    }
}
