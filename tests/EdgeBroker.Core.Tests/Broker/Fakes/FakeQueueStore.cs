namespace EdgeBroker.Core.Tests.Broker.Fakes;

using System.Collections.Concurrent;
using EdgeBroker.Core.Queues;

/// <summary>An in-memory <see cref="IQueueStore"/> of <see cref="FakeDurableQueue"/>s. Thread-safe.</summary>
internal sealed class FakeQueueStore : IQueueStore
{
    private readonly ConcurrentDictionary<string, FakeDurableQueue> _queues = new(StringComparer.Ordinal);

    public int DeclareCalls;

    public IReadOnlyCollection<IDurableQueue> All => [.. _queues.Values];

    public IDurableQueue Declare(string name, QueueOptions options)
    {
        Interlocked.Increment(ref DeclareCalls);
        if (name.Contains('/'))
        {
            throw new ArgumentException("queue names use a safe alphabet", nameof(name));
        }

        return _queues.GetOrAdd(name, n => new FakeDurableQueue(n, options));
    }

    public IDurableQueue? Get(string name) => _queues.TryGetValue(name, out var queue) ? queue : null;

    public FakeDurableQueue Queue(string name) => _queues[name];

    public ValueTask<bool> DeleteAsync(string name) => new(_queues.TryRemove(name, out _));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
