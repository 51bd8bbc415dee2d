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

    private readonly int _maxPropertyLength = 16 * 1024;
    private readonly int _maxUserProperties = 128;

    /// <summary>
    /// Largest accepted packet in bytes, counting the fixed header (the v5 "Maximum Packet Size"
    /// meaning). A larger declared remaining length fails with 0x95 Packet too large at once.
    /// </summary>
    public int MaxPacketSize { get; }

    /// <summary>
    /// Largest v5 property block (one packet's, or a Will's), checked from its declared length
    /// before it is read; over it → 0x95 Packet too large. Default 16 KiB (RELIABILITY.md).
    /// </summary>
    public int MaxPropertyLength
    {
        get => _maxPropertyLength;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _maxPropertyLength = value;
        }
    }

    /// <summary>
    /// Most User Properties in one property block; over it → 0x83 Implementation specific error
    /// (the packet is valid, this server does not take it). Default 128 (RELIABILITY.md).
    /// </summary>
    public int MaxUserProperties
    {
        get => _maxUserProperties;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _maxUserProperties = value;
        }
    }
}
