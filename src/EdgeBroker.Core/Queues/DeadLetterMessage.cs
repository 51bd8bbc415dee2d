namespace EdgeBroker.Core.Queues;

using System.Globalization;
using EdgeBroker.Core.Messages;

/// <summary>Builds the copy of a message that goes to a dead-letter queue. Stateless, thread-safe.</summary>
public static class DeadLetterMessage
{
    public const string ReasonHeader = "x-death-reason";
    public const string OriginalQueueHeader = "x-original-queue";
    public const string DeliveryCountHeader = "x-delivery-count";

    public const string Rejected = "rejected";
    public const string DeliveryLimit = "delivery-limit";
    public const string Expired = "expired";
    public const string MaxLength = "max-length";

    /// <summary>
    /// A new message with the three x-death headers appended (the payload buffer is shared). The expiry is
    /// removed, otherwise an expired message would expire again at once in the dead-letter queue.
    /// </summary>
    public static Message Create(Message message, string queue, string reason, int deliveryCount)
    {
        ArgumentNullException.ThrowIfNull(message);
        var headers = new MessageHeader[message.Headers.Count + 3];
        for (var i = 0; i < message.Headers.Count; i++)
        {
            headers[i] = message.Headers[i];
        }

        headers[^3] = new MessageHeader(ReasonHeader, reason);
        headers[^2] = new MessageHeader(OriginalQueueHeader, queue);
        headers[^1] = new MessageHeader(DeliveryCountHeader, deliveryCount.ToString(CultureInfo.InvariantCulture));
        return message.With(retain: false, headers: headers, withoutExpiry: true);
    }
}
