namespace EdgeBroker.Mqtt.Codec;

/// <summary>
/// The protocol level byte of CONNECT. Values are the wire values.
/// <see cref="Unknown"/> is what a session passes before CONNECT has been decoded: the reader then
/// accepts only CONNECT, which carries its own level.
/// </summary>
public enum MqttProtocolVersion : byte
{
    Unknown = 0,

    /// <summary>MQTT 3.1, protocol name "MQIsdp".</summary>
    V310 = 3,

    /// <summary>MQTT 3.1.1, protocol name "MQTT".</summary>
    V311 = 4,

    /// <summary>MQTT 5.0, protocol name "MQTT".</summary>
    V500 = 5,
}
