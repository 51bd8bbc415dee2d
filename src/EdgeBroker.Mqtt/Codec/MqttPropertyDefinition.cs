namespace EdgeBroker.Mqtt.Codec;

/// <summary>One row of the v5 property table: identifier, value type, where it may appear, and
/// where it may appear more than once.</summary>
public readonly record struct MqttPropertyDefinition(
    MqttPropertyId Id,
    MqttPropertyType Type,
    MqttPropertyContext AllowedIn,
    MqttPropertyContext RepeatableIn);
