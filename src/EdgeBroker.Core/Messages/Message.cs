namespace EdgeBroker.Core.Messages;

/// <summary>
/// One message in the shared vocabulary of every protocol (DESIGN.md "Message"). MQTT 5 properties
/// and STOMP headers map onto these fields. Immutable once published: one instance (and one payload
/// buffer) is shared by every subscriber it reaches.
/// </summary>
public sealed class Message
{
    public required string Topic { get; init; }

    public ReadOnlyMemory<byte> Payload { get; init; }

    public string? ContentType { get; init; }

    public PayloadFormat PayloadFormat { get; init; }

    /// <summary>MQTT 5 correlation data; STOMP <c>correlation-id</c> as UTF-8.</summary>
    public ReadOnlyMemory<byte> CorrelationData { get; init; }

    /// <summary>MQTT 5 response topic; STOMP <c>reply-to</c>.</summary>
    public string? ResponseTopic { get; init; }

    /// <summary>MQTT 5 user properties; STOMP custom headers. Order kept, duplicates allowed.</summary>
    public IReadOnlyList<MessageHeader> Headers { get; init; } = [];

    /// <summary>MQTT 5 message expiry interval; STOMP <c>expires</c> minus publish time. Null: never expires.</summary>
    public TimeSpan? ExpiryInterval { get; init; }

    /// <summary>Wall-clock publish time, Unix milliseconds.</summary>
    public long TimestampMs { get; init; }

    /// <summary>Partition/compaction key (STOMP <c>key</c>, MQTT 5 user property <c>key</c>).</summary>
    public string? Key { get; init; }

    public QualityOfService Qos { get; init; }

    public bool Retain { get; init; }

    /// <summary>The publisher asked for durable handling (STOMP <c>persistent:true</c>, MQTT QoS ≥ 1).</summary>
    public bool Persistent { get; init; }

    public MessageOrigin Origin { get; init; } = MessageOrigin.Internal;

    /// <summary>True when the expiry interval has run out at <paramref name="nowMs"/> (Unix ms).</summary>
    public bool IsExpiredAt(long nowMs) => ExpiryInterval is { } expiry && nowMs - TimestampMs >= (long)expiry.TotalMilliseconds;

    /// <summary>
    /// A copy with a different topic, QoS, retain flag or headers, optionally without its expiry; the payload
    /// buffer is shared, not copied.
    /// </summary>
    public Message With(string? topic = null, QualityOfService? qos = null, bool? retain = null, IReadOnlyList<MessageHeader>? headers = null, bool withoutExpiry = false) => new()
    {
        Topic = topic ?? Topic,
        Payload = Payload,
        ContentType = ContentType,
        PayloadFormat = PayloadFormat,
        CorrelationData = CorrelationData,
        ResponseTopic = ResponseTopic,
        Headers = headers ?? Headers,
        ExpiryInterval = withoutExpiry ? null : ExpiryInterval,
        TimestampMs = TimestampMs,
        Key = Key,
        Qos = qos ?? Qos,
        Retain = retain ?? Retain,
        Persistent = Persistent,
        Origin = Origin,
    };
}

public readonly record struct MessageHeader(string Name, string Value);

/// <summary>Values reach disk; keep them stable.</summary>
public enum QualityOfService : byte
{
    AtMostOnce = 0,
    AtLeastOnce = 1,
    ExactlyOnce = 2,
}

/// <summary>MQTT 5 payload format indicator. Values reach disk; keep them stable.</summary>
public enum PayloadFormat : byte
{
    Unspecified = 0,
    Utf8 = 1,
}

/// <summary>Which adapter a message or client came through. Values reach disk; keep them stable.</summary>
public enum ProtocolKind : byte
{
    Internal = 0,
    Mqtt = 1,
    Stomp = 2,
    SignalR = 3,
    Http = 4,
}

/// <summary>Who published a message (kept with it on disk; used for MQTT 5 no-local).</summary>
public sealed record MessageOrigin(ProtocolKind Protocol, string? ClientId)
{
    public static MessageOrigin Internal { get; } = new(ProtocolKind.Internal, null);
}
