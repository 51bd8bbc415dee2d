namespace EdgeBroker.Mqtt.Codec;

/// <summary>v5 property 0x01. Any other value is a protocol error.</summary>
public enum MqttPayloadFormatIndicator : byte
{
    Unspecified = 0,
    Utf8 = 1,
}
