namespace EdgeBroker.Server.Tests.Fakes;

using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Queues;

/// <summary>The state of one queue of <see cref="FakeBroker"/>; guarded by the broker's lock.</summary>
internal sealed class FakeQueue(string name, QueueOptions options)
{
    public string Name { get; } = name;

    public QueueOptions Options { get; } = options;

    public List<Message> Ready { get; } = [];

    public long Published { get; set; }

    public long Delivered { get; set; }

    public long Rejected { get; set; }

    public QueueStats Stats() => new(Name, Ready.Count, 0, 0, Published, Delivered, Delivered, 0, 0, 0, Rejected, Ready.Sum(m => (long)m.Payload.Length));
}
