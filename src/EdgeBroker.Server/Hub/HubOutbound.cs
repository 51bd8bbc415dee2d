namespace EdgeBroker.Server.Hub;

using EdgeBroker.Core.Messages;

/// <summary>
/// One item of a hub connection's outbound channel. A live message is queued as the shared core
/// <see cref="Message"/> plus its subscription id (a struct: nothing is allocated on the publisher's thread);
/// the writer turns it into the <c>message</c> event. Other events carry their ready-made payload.
/// </summary>
internal readonly record struct HubOutbound(string Method, string SubscriptionId, Message? Message, bool Retained, object? Payload)
{
    public const string MessageMethod = "message";
    public const string StreamRecordMethod = "streamRecord";
    public const string StatsMethod = "stats";

    public static HubOutbound Live(Message message, string subscriptionId, bool retained) => new(MessageMethod, subscriptionId, message, retained, null);

    public static HubOutbound Event(string method, string subscriptionId, object payload) => new(method, subscriptionId, null, false, payload);
}
