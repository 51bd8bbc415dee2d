namespace EdgeBroker.Core.Tests.Broker.Fakes;

using System.Collections.Concurrent;
using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Routing;
using EdgeBroker.Core.Security;

/// <summary>A live subscriber that records every TryDeliver call and never blocks. Thread-safe.</summary>
internal sealed class RecordingSubscriber : ISubscriber
{
    private readonly ConcurrentQueue<Delivery> _deliveries = new();

    public RecordingSubscriber(string clientId, ProtocolKind protocol = ProtocolKind.Mqtt)
    {
        Client = new ClientIdentity(protocol, clientId, null, null);
    }

    public ClientIdentity Client { get; }

    /// <summary>What TryDeliver answers (false = the session's overflow policy dropped it).</summary>
    public bool Accept { get; set; } = true;

    /// <summary>Runs inside TryDeliver, after recording (to act while the broker is mid-delivery).</summary>
    public Action<Message>? OnDeliver { get; set; }

    public IReadOnlyList<Delivery> Deliveries => [.. _deliveries];

    public bool TryDeliver(Message message, ReadOnlySpan<ISubscription> matched, bool isRetained)
    {
        _deliveries.Enqueue(new Delivery(message, [.. matched], isRetained));
        OnDeliver?.Invoke(message);
        return Accept;
    }

    internal sealed record Delivery(Message Message, IReadOnlyList<ISubscription> Matched, bool IsRetained)
    {
        public IReadOnlyList<string> Filters => [.. Matched.Select(s => s.Filter).Order(StringComparer.Ordinal)];
    }
}
