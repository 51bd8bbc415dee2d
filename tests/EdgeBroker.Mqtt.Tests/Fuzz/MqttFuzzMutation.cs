namespace EdgeBroker.Mqtt.Tests.Fuzz;

/// <summary>
/// One edit to a packet: bit flip, byte overwrite, insert, delete, truncation, a new remaining length (the
/// variable byte integer after the first byte), a new 16-bit length field at a position, or a duplicated run.
/// Position is taken modulo the input length.
/// </summary>
public sealed record MqttFuzzMutation(int Kind, int Position, byte Value, int Length)
{
    public const int KindCount = 8;

    /// <summary>Remaining lengths worth trying: limits, VBI boundaries, the protocol maximum.</summary>
    public static readonly int[] InterestingLengths = [0, 1, 2, 127, 128, 16_383, 16_384, 65_535, 65_536, 1_048_575, 1_048_576, 2_097_151, 2_097_152, 268_435_455];

    public byte[] ApplyTo(byte[] data)
    {
        var list = data.ToList();
        var at = list.Count == 0 ? 0 : Position % list.Count;
        switch (Kind)
        {
            case 0 when list.Count > 0:
                list[at] ^= (byte)(1 << (Value % 8));
                break;
            case 1 when list.Count > 0:
                list[at] = Value;
                break;
            case 2:
                list.Insert(at, Value);
                break;
            case 3 when list.Count > 0:
                list.RemoveAt(at);
                break;
            case 4:
                list.RemoveRange(at, list.Count - at);
                break;
            case 5 when list.Count > 1:
                RewriteRemainingLength(list, Length);
                break;
            case 6 when list.Count > 1:
                // A 16-bit string/property length field anywhere in the body.
                list[at] = (byte)(Length >> 8);
                list[(at + 1) % list.Count] = (byte)Length;
                break;
            case 7 when list.Count > 0:
                var run = Math.Min(1 + (Length % 40), list.Count - at);
                list.InsertRange(at, list.GetRange(at, run));
                break;
        }

        return [.. list];
    }

    private static void RewriteRemainingLength(List<byte> bytes, int length)
    {
        var old = 1;
        while (old < bytes.Count && old < 5 && (bytes[old] & 0x80) != 0)
        {
            old++;
        }

        bytes.RemoveRange(1, Math.Min(old, bytes.Count - 1));
        var encoded = new List<byte>();
        var value = length & 0x0FFF_FFFF;
        do
        {
            var digit = (byte)(value % 128);
            value /= 128;
            encoded.Add(value > 0 ? (byte)(digit | 0x80) : digit);
        }
        while (value > 0);
        bytes.InsertRange(1, encoded);
    }

    public override string ToString() => $"{Kind}@{Position}:{Value:X2}/{Length}";
}
