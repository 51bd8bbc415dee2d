namespace EdgeBroker.Core.Tests.Queues;

using System.Text;
using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Queues;
using EdgeBroker.Core.Routing;
using EdgeBroker.Core.Tests.Persistence;

/// <summary>Queues over in-memory journals, with dead-letter queues declared on demand like the real store.</summary>
internal sealed class MemoryQueueHarness
{
    private readonly Dictionary<string, (LogQueue Queue, MemoryQueueJournal Journal)> _queues = [];

    public ManualTimeProvider Time { get; } = new();

    /// <summary>Bytes of ready messages each queue keeps in memory (the rest is paged out to the journal).</summary>
    public long MaxResidentBytes { get; init; } = long.MaxValue;

    public LogQueue Declare(string name, QueueOptions? options = null)
    {
        lock (_queues)
        {
            if (_queues.TryGetValue(name, out var existing))
            {
                return existing.Queue;
            }

            var journal = new MemoryQueueJournal();
            var queue = LogQueue.Open(name, options ?? new QueueOptions(), journal, Time, Resolve, null, MaxResidentBytes);
            _queues[name] = (queue, journal);
            return queue;
        }
    }

    public MemoryQueueJournal Journal(string name)
    {
        lock (_queues)
        {
            return _queues[name].Journal;
        }
    }

    public LogQueue? Get(string name)
    {
        lock (_queues)
        {
            return _queues.TryGetValue(name, out var q) ? q.Queue : null;
        }
    }

    /// <summary>Simulates a restart: a new queue object over the same journal (in-memory state is lost).</summary>
    public LogQueue Reopen(string name, QueueOptions? options = null)
    {
        lock (_queues)
        {
            var journal = _queues[name].Journal;
            var queue = LogQueue.Open(name, options ?? new QueueOptions(), journal, Time, Resolve, null, MaxResidentBytes);
            _queues[name] = (queue, journal);
            return queue;
        }
    }

    public static Message Text(string text, TimeSpan? expiry = null, long timestampMs = 0) => new()
    {
        Topic = "t",
        Payload = Encoding.UTF8.GetBytes(text),
        ExpiryInterval = expiry,
        TimestampMs = timestampMs,
    };

    public static string TextOf(Message m) => Encoding.UTF8.GetString(m.Payload.Span);

    public static async Task PublishAsync(LogQueue queue, params string[] texts)
    {
        foreach (var text in texts)
        {
            var result = await queue.AcceptAsync(Text(text), CancellationToken.None);
            Assert.Equal(TargetOutcome.Accepted, result.Outcome);
        }
    }

    private IMessageTarget? Resolve(string name) => Declare(name, new QueueOptions { DeliveryLimit = null, DeadLetterQueue = "" });
}
