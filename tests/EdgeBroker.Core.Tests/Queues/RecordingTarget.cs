namespace EdgeBroker.Core.Tests.Queues;

using System.Collections.Concurrent;
using EdgeBroker.Core.Queues;

/// <summary>A consumer endpoint that records what it gets; can refuse, or run a callback inside TryDeliver.</summary>
public sealed class RecordingTarget : IQueueDeliveryTarget
{
    private readonly ConcurrentQueue<QueueDelivery> _received = new();

    public bool Accept { get; set; } = true;

    public Action<QueueDelivery>? OnDeliver { get; set; }

    public IReadOnlyList<QueueDelivery> Received => [.. _received];

    public IEnumerable<string> Texts => Received.Select(d => System.Text.Encoding.UTF8.GetString(d.Message.Payload.Span));

    public bool TryDeliver(QueueDelivery delivery)
    {
        if (!Accept)
        {
            return false;
        }

        _received.Enqueue(delivery);
        OnDeliver?.Invoke(delivery);
        return true;
    }
}
