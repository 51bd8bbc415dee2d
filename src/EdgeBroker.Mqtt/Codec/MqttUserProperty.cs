namespace EdgeBroker.Mqtt.Codec;

/// <summary>v5 property 0x26: a UTF-8 string pair. Order and duplicates are significant and kept.</summary>
public readonly record struct MqttUserProperty(string Name, string Value);
