namespace EdgeBroker.Core.Tests.Routing;

using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Routing;

/// <summary>A bind target that accepts everything at once.</summary>
internal sealed class RecordingTarget(string name, bool durable = true) : IMessageTarget
{
    public string Name { get; } = name;

    public bool IsDurable { get; } = durable;

    public List<Message> Received { get; } = [];

    public ValueTask<TargetResult> AcceptAsync(Message message, CancellationToken cancellationToken)
    {
        lock (Received)
        {
            Received.Add(message);
        }

        return new(TargetResult.Accepted);
    }

    public override string ToString() => Name;
}
