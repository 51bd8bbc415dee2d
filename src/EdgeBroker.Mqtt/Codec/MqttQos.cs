namespace EdgeBroker.Mqtt.Codec;

/// <summary>Quality of service as carried on the wire (two bits; 3 is malformed).</summary>
public enum MqttQos : byte
{
    AtMostOnce = 0,
    AtLeastOnce = 1,
    ExactlyOnce = 2,
}
