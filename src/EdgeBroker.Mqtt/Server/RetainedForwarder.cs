namespace EdgeBroker.Mqtt.Server;

using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Routing;
using EdgeBroker.Core.Security;

/// <summary>
/// A persistent session receives its messages through its queue, not a live subscription, so retained messages
/// on subscribe are fetched with a short-lived live subscription through this forwarder: it passes on only the
/// retained messages ([MQTT-3.3.1-9]) and ignores live traffic, which the queue already carries. Thread-safe.
/// </summary>
internal sealed class RetainedForwarder(MqttConnection connection) : ISubscriber
{
    public ClientIdentity Client => connection.Client;

    public bool TryDeliver(Message message, ReadOnlySpan<ISubscription> matched, bool isRetained) =>
        !isRetained || connection.TryDeliver(message, matched, isRetained: true);
}
