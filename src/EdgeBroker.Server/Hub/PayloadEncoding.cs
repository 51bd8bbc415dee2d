namespace EdgeBroker.Server.Hub;

using System.Text;
using System.Text.Unicode;

/// <summary>
/// How payload bytes travel in the JSON hub protocol: as text when they are valid UTF-8 (JSON carries text
/// natively and browsers read it directly), else as base64 so binary payloads arrive unchanged. Stateless.
/// </summary>
internal static class PayloadEncoding
{
    public const string Text = "text";
    public const string Base64 = "base64";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The payload as (text, "text") when it is valid UTF-8 without control characters JSON would mangle, else (base64, "base64").</summary>
    /// <remarks>
    /// The bytes decide, not the MQTT payload format indicator: a publisher may claim UTF-8 and send anything.
    /// Validating first avoids an exception per binary payload.
    /// </remarks>
    public static (string Payload, string Encoding) Encode(ReadOnlySpan<byte> payload)
    {
        if (Utf8.IsValid(payload) && !HasNul(payload))
        {
            return (StrictUtf8.GetString(payload), Text);
        }

        return (Convert.ToBase64String(payload), Base64);
    }

    /// <summary>Decodes a hub publish payload; false with a reason for an unknown encoding or bad base64.</summary>
    public static bool TryDecode(string? payload, string? encoding, out byte[] bytes, out string? error)
    {
        error = null;
        payload ??= string.Empty;
        if (encoding is null || string.Equals(encoding, Text, StringComparison.OrdinalIgnoreCase))
        {
            bytes = Encoding.UTF8.GetBytes(payload);
            return true;
        }

        if (string.Equals(encoding, Base64, StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                bytes = Convert.FromBase64String(payload);
                return true;
            }
            catch (FormatException)
            {
                bytes = [];
                error = "payload is not valid base64";
                return false;
            }
        }

        bytes = [];
        error = $"encoding must be 'text' or 'base64' (was '{encoding}')";
        return false;
    }

    /// <summary>A NUL byte is valid UTF-8 but almost always means binary data; keep such payloads byte-exact as base64.</summary>
    private static bool HasNul(ReadOnlySpan<byte> payload) => payload.Contains((byte)0);
}
