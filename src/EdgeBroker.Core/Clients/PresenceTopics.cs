namespace EdgeBroker.Core.Clients;

using System.Text;

/// <summary>
/// The <c>$SYS/clients/…</c> topics of device presence. A client id may contain anything MQTT or STOMP allow,
/// so it is escaped into one topic level: '%', '/', '+', '#' and control characters become %XX.
/// Stateless, thread-safe.
/// </summary>
public static class PresenceTopics
{
    public const string Prefix = "$SYS/clients/";

    /// <summary>Retained: the last known state of a client (<c>online</c>/<c>offline</c>).</summary>
    public static string Presence(string clientId) => Prefix + EscapeLevel(clientId) + "/presence";

    /// <summary>Not retained: one message per connect.</summary>
    public static string Connected(string clientId) => Prefix + EscapeLevel(clientId) + "/connected";

    /// <summary>Not retained: one message per disconnect.</summary>
    public static string Disconnected(string clientId) => Prefix + EscapeLevel(clientId) + "/disconnected";

    public static string EscapeLevel(string clientId)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        if (clientId.Length == 0)
        {
            return "%00"; // an empty level would alias another topic shape
        }

        if (!clientId.AsSpan().ContainsAny("%/+#") && !clientId.Any(char.IsControl))
        {
            return clientId;
        }

        var escaped = new StringBuilder(clientId.Length + 8);
        foreach (var c in clientId)
        {
            if (c is '%' or '/' or '+' or '#' || char.IsControl(c))
            {
                escaped.Append('%').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }
}
