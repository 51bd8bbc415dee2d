namespace EdgeBroker.Server.Hub.Contracts;

/// <summary>The <c>message</c> event: one live (or retained) message for one subscription.</summary>
public sealed record HubMessage(
    string SubscriptionId,
    string Topic,
    string Payload,
    string Encoding,
    string? ContentType,
    IReadOnlyDictionary<string, string> Headers,
    string Protocol,
    long Timestamp,
    int Qos,
    bool Retained);
