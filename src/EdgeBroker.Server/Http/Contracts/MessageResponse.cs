namespace EdgeBroker.Server.Http.Contracts;

using EdgeBroker.Core.Messages;

/// <summary>
/// A message as the API shows it. <see cref="PayloadBase64"/> is always byte-exact; <see cref="Payload"/> is the
/// same bytes as text only when they are valid UTF-8.
/// </summary>
public sealed record MessageResponse(
    string Topic,
    string? Payload,
    string PayloadBase64,
    string? ContentType,
    IReadOnlyList<MessageHeader> Headers,
    string? Key,
    long TimestampMs,
    QualityOfService Qos,
    int? DeliveryCount,
    bool Redelivered);
