namespace EdgeBroker.Interop.Tests.Faults;

using System.Text;

/// <summary>
/// Hand-encoded MQTT packets for the byte-level tests (independent of the broker's own writer), and a reader of
/// one packet off a <see cref="RawTcpClient"/>: first byte, remaining length, body.
/// </summary>
public static class RawMqtt
{
    public sealed record Packet(byte Header, byte[] Body)
    {
        public int Type => Header >> 4;

        public override string ToString() => $"{Header:X2} {Convert.ToHexString(Body)}";
    }

    /// <summary>CONNECT, clean session/start, no will or credentials. Level 3 = 3.1 (MQIsdp), 4 = 3.1.1, 5 = 5.0.</summary>
    public static byte[] Connect(string clientId, int level, ushort keepAlive = 0)
    {
        var body = new List<byte>();
        var name = level == 3 ? "MQIsdp" : "MQTT";
        AddString(body, name);
        body.Add((byte)level);
        body.Add(0x02);
        body.Add((byte)(keepAlive >> 8));
        body.Add((byte)keepAlive);
        if (level == 5)
        {
            body.Add(0); // no properties
        }

        AddString(body, clientId);
        return Frame(0x10, body);
    }

    public static byte[] Subscribe(string filter, ushort packetId, int qos, bool v5 = false)
    {
        var body = new List<byte> { (byte)(packetId >> 8), (byte)packetId };
        if (v5)
        {
            body.Add(0);
        }

        AddString(body, filter);
        body.Add((byte)qos);
        return Frame(0x82, body);
    }

    public static byte[] Publish(string topic, string payload, int qos = 0, ushort packetId = 0)
    {
        var body = new List<byte>();
        AddString(body, topic);
        if (qos > 0)
        {
            body.Add((byte)(packetId >> 8));
            body.Add((byte)packetId);
        }

        body.AddRange(Encoding.UTF8.GetBytes(payload));
        return Frame((byte)(0x30 | (qos << 1)), body);
    }

    /// <summary>Fixed header with the minimal variable-byte remaining length, then the body.</summary>
    public static byte[] Frame(byte header, IReadOnlyCollection<byte> body)
    {
        var bytes = new List<byte>(body.Count + 5) { header };
        var length = body.Count;
        do
        {
            var digit = (byte)(length % 128);
            length /= 128;
            bytes.Add(length > 0 ? (byte)(digit | 0x80) : digit);
        }
        while (length > 0);
        bytes.AddRange(body);
        return [.. bytes];
    }

    /// <summary>The next packet, or null if the server closed the connection (before or inside it).</summary>
    public static async Task<Packet?> ReadAsync(RawTcpClient client, TimeSpan timeout)
    {
        if (await client.ReadByteAsync(timeout) is not { } header)
        {
            return null;
        }

        var length = 0;
        for (var shift = 0; shift < 28; shift += 7)
        {
            if (await client.ReadByteAsync(timeout) is not { } digit)
            {
                return null;
            }

            length |= (digit & 0x7F) << shift;
            if ((digit & 0x80) == 0)
            {
                break;
            }
        }

        var body = length == 0 ? [] : await client.ReadExactAsync(length, timeout);
        return body is null ? null : new Packet((byte)header, body);
    }

    private static void AddString(List<byte> bytes, string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        bytes.Add((byte)(utf8.Length >> 8));
        bytes.Add((byte)utf8.Length);
        bytes.AddRange(utf8);
    }
}
