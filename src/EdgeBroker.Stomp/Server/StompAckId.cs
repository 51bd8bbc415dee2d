namespace EdgeBroker.Stomp.Server;

using System.Globalization;

/// <summary>
/// The message id / ack id of a MESSAGE: <c>&lt;n&gt;-&lt;subscription id&gt;</c> where n is the queue delivery tag (queue
/// subscriptions) or a per-connection sequence number (topics). Encoding the subscription makes ACK and NACK
/// lookups need no shared map, and works with 1.0 (<c>message-id</c>), 1.1 (<c>message-id</c> +
/// <c>subscription</c>) and 1.2 (<c>id</c>). Stateless, thread-safe.
/// </summary>
internal static class StompAckId
{
    public static string Format(long number, string subscriptionId, string prefix) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}{number}-{subscriptionId}");

    public static bool TryParse(string? value, string prefix, out long number, out string subscriptionId)
    {
        number = 0;
        subscriptionId = string.Empty;
        if (value is null || !value.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = value.AsSpan(prefix.Length);
        var dash = rest.IndexOf('-');
        if (dash <= 0 || !long.TryParse(rest[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out number))
        {
            return false;
        }

        subscriptionId = rest[(dash + 1)..].ToString();
        return true;
    }
}
