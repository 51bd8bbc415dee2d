namespace EdgeBroker.Mqtt.Codec;

/// <summary>Wire data types of v5 property values (spec 1.5).</summary>
public enum MqttPropertyType : byte
{
    Byte = 1,
    TwoByteInteger = 2,
    FourByteInteger = 3,
    VariableByteInteger = 4,
    Utf8String = 5,
    BinaryData = 6,
    Utf8StringPair = 7,
}
