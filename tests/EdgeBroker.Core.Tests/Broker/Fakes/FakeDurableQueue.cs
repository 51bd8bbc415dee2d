namespace EdgeBroker.Core.Tests.Broker.Fakes;

using System.Collections.Concurrent;
using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Queues;
using EdgeBroker.Core.Routing;

/// <summary>
/// A queue double: records accepted messages; <see cref="Behaviour"/> decides each AcceptAsync (default: accept at once).
/// Consumers and fetch hand out the recorded messages in order. Thread-safe enough for the tests (concurrent collections).
/// </summary>
internal sealed class FakeDurableQueue : IDurableQueue
{
    private readonly ConcurrentQueue<Message> _ready = new();
    private readonly ConcurrentBag<Message> _accepted = [];
    private long _tag;

    public FakeDurableQueue(string name, QueueOptions options)
    {
        QueueName = name;
        Options = options;
    }

    public string QueueName { get; }

    public QueueOptions Options { get; }

    public string Name => "queue:" + QueueName;

    public bool IsDurable { get; set; } = true;

    public Func<Message, ValueTask<TargetResult>>? Behaviour { get; set; }

    public IReadOnlyCollection<Message> Accepted => _accepted;

    public List<IQueueDeliveryTarget> Consumers { get; } = [];

    public QueueStats Stats => new(QueueName, _ready.Count, 0, Consumers.Count, _accepted.Count, 0, 0, 0, 0, 0, 0, 0);

    public async ValueTask<TargetResult> AcceptAsync(Message message, CancellationToken cancellationToken)
    {
        var result = Behaviour is null ? TargetResult.Accepted : await Behaviour(message);
        if (result.Outcome == TargetOutcome.Accepted)
        {
            _accepted.Add(message);
            _ready.Enqueue(message);
        }

        return result;
    }

    public IQueueConsumer AddConsumer(IQueueDeliveryTarget target, ConsumerOptions options)
    {
        Consumers.Add(target);
        return new FakeConsumer(QueueName);
    }

    public ValueTask<IReadOnlyList<QueueDelivery>> FetchAsync(int max, CancellationToken cancellationToken)
    {
        var result = new List<QueueDelivery>();
        while (result.Count < max && _ready.TryDequeue(out var message))
        {
            result.Add(new QueueDelivery(QueueName, Interlocked.Increment(ref _tag), message, 1));
        }

        return new(result);
    }

    public ValueTask<long> PurgeAsync()
    {
        long count = 0;
        while (_ready.TryDequeue(out _))
        {
            count++;
        }

        return new(count);
    }

    public IReadOnlyList<Message> Peek(int max) => [.. _ready.Take(max)];

    private sealed class FakeConsumer(string queue) : IQueueConsumer
    {
        public string Queue => queue;

        public ValueTask AckAsync(long deliveryTag) => ValueTask.CompletedTask;

        public ValueTask AckUpToAsync(long deliveryTag) => ValueTask.CompletedTask;

        public ValueTask NackAsync(long deliveryTag, bool requeue) => ValueTask.CompletedTask;

        public void Dispose()
        {
        }
    }
}
