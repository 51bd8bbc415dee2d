namespace EdgeBroker.Mqtt.Tests.Codec;

/// <summary>Hex strings with optional spaces, for hand-written byte vectors.</summary>
internal static class Hex
{
    public static byte[] Parse(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    public static string Format(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);
}
