namespace EdgeBroker.Mqtt.Codec;

/// <summary>
/// Size limits the reader enforces from the fixed header alone, before the body is buffered
/// (RELIABILITY.md "Pre-auth limits", STYLE.md example 3). Immutable, safe to share.
/// </summary>
public sealed class MqttCodecLimits
{
    /// <summary>Largest packet the MQTT wire format can express: 1 + 4 + 268,435,455.</summary>
    public const int ProtocolMaximumPacketSize = 1 + 4 + MqttVariableByteInteger.MaxValue;

    /// <summary>1 MiB, the post-CONNECT default.</summary>
    public static MqttCodecLimits Default { get; } = new(1024 * 1024);

    /// <summary>64 KiB, what a session passes until CONNECT has succeeded.</summary>
    public static MqttCodecLimits PreConnect { get; } = new(64 * 1024);

    public MqttCodecLimits(int maxPacketSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPacketSize, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxPacketSize, ProtocolMaximumPacketSize);
        MaxPacketSize = maxPacketSize;
    }

    /// <summary>
    /// Largest accepted packet in bytes, counting the fixed header (the v5 "Maximum Packet Size"
    /// meaning). A larger declared remaining length fails with 0x95 Packet too large at once.
    /// </summary>
    public int MaxPacketSize { get; }
}
