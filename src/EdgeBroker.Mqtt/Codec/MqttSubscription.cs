namespace EdgeBroker.Mqtt.Codec;

/// <summary>
/// One entry of a SUBSCRIBE payload: a topic filter and its options byte
/// <code>
/// bits 7-6 reserved (0) · 5-4 retain handling [v5] · 3 retain as published [v5] · 2 no local [v5] · 1-0 QoS
/// </code>
/// The filter's syntax (wildcard placement, $share) is checked by the session, which answers
/// 0x8F per filter in SUBACK rather than failing the whole packet.
/// </summary>
public sealed class MqttSubscription
{
    public required string TopicFilter { get; init; }

    public MqttQos Qos { get; init; }

    public bool NoLocal { get; init; }

    public bool RetainAsPublished { get; init; }

    public MqttRetainHandling RetainHandling { get; init; }
}
