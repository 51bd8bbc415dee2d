namespace EdgeBroker.Mqtt.Codec;

/// <summary>v5 subscription option bits 4-5. The value 3 is a protocol error.</summary>
public enum MqttRetainHandling : byte
{
    SendAtSubscribe = 0,
    SendAtSubscribeIfNew = 1,
    DoNotSend = 2,
}
