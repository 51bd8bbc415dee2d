namespace EdgeBroker.Mqtt.Codec;

using System.Text;
using System.Text.Unicode;

/// <summary>Validation and decoding of MQTT UTF-8 strings (spec 1.5.4). Stateless.</summary>
internal static class MqttUtf8
{
    /// <summary>Checks well-formedness and U+0000, then decodes (one string allocation).</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        Validate(bytes);
        return bytes.IsEmpty ? string.Empty : Encoding.UTF8.GetString(bytes);
    }

    public static void Validate(ReadOnlySpan<byte> bytes)
    {
        // [MQTT-1.5.4-1] ill-formed UTF-8, including encoded surrogates U+D800..U+DFFF (which
        // Utf8.IsValid rejects as ill-formed), is a malformed packet.
        if (!Utf8.IsValid(bytes))
        {
            throw MqttProtocolException.Malformed("[MQTT-1.5.4-1] string is not well-formed UTF-8.");
        }

        // [MQTT-1.5.4-2] U+0000 must not appear.
        if (bytes.Contains((byte)0))
        {
            throw MqttProtocolException.Malformed("[MQTT-1.5.4-2] string contains U+0000.");
        }

        // [MQTT-1.5.4-3] a leading U+FEFF is kept as is (not stripped): nothing to do here.
    }
}
