namespace EdgeBroker.Mqtt.Codec;

/// <summary>A decoded fixed header: type, flags, its own length (2..5) and the remaining length.</summary>
internal readonly record struct MqttFixedHeader(MqttPacketType PacketType, byte Flags, int HeaderLength, int RemainingLength);
