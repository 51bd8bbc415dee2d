namespace EdgeBroker.Mqtt.Codec;

/// <summary>
/// The v5 properties of one packet (or of a Will). Every property is optional; null means absent.
/// A packet whose property length is 0 has no instance at all (<c>Properties == null</c>), which
/// keeps the common PUBLISH free of this allocation. The reader enforces where each property may
/// appear (<see cref="MqttPropertyTable"/>); the writer writes what is set, so a test client can
/// also build misplaced properties on purpose. Not thread-safe; treat a decoded instance as
/// read-only.
/// </summary>
public sealed class MqttProperties
{
    public MqttPayloadFormatIndicator? PayloadFormatIndicator { get; set; }

    public uint? MessageExpiryInterval { get; set; }

    public string? ContentType { get; set; }

    public string? ResponseTopic { get; set; }

    /// <summary>Copied out of the input buffer (properties are small; the input is recycled).</summary>
    public byte[]? CorrelationData { get; set; }

    /// <summary>One in SUBSCRIBE; one or more in a PUBLISH to a client. Each is 1..268,435,455.</summary>
    public List<uint>? SubscriptionIdentifiers { get; set; }

    public uint? SessionExpiryInterval { get; set; }

    public string? AssignedClientIdentifier { get; set; }

    public ushort? ServerKeepAlive { get; set; }

    public string? AuthenticationMethod { get; set; }

    public byte[]? AuthenticationData { get; set; }

    public bool? RequestProblemInformation { get; set; }

    public uint? WillDelayInterval { get; set; }

    public bool? RequestResponseInformation { get; set; }

    public string? ResponseInformation { get; set; }

    public string? ServerReference { get; set; }

    public string? ReasonString { get; set; }

    public ushort? ReceiveMaximum { get; set; }

    public ushort? TopicAliasMaximum { get; set; }

    public ushort? TopicAlias { get; set; }

    /// <summary>CONNACK only; 0 or 1 on the wire (absent means 2).</summary>
    public MqttQos? MaximumQos { get; set; }

    public bool? RetainAvailable { get; set; }

    public List<MqttUserProperty>? UserProperties { get; set; }

    public uint? MaximumPacketSize { get; set; }

    public bool? WildcardSubscriptionAvailable { get; set; }

    public bool? SubscriptionIdentifierAvailable { get; set; }

    public bool? SharedSubscriptionAvailable { get; set; }
}
