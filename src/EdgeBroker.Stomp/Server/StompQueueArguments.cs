namespace EdgeBroker.Stomp.Server;

using System.Globalization;
using EdgeBroker.Core.Queues;
using EdgeBroker.Stomp.Codec;

/// <summary>
/// Queue declaration headers on a SEND or SUBSCRIBE to <c>/queue/&lt;name&gt;</c> (RabbitMQ style, README "Queues"):
/// <code>
///  x-max-length:N              QueueOptions.MaxLength
///  x-overflow:reject-publish|drop-head
///  x-message-ttl:ms            QueueOptions.MessageTtl
///  x-delivery-limit:N          QueueOptions.DeliveryLimit (then dead-lettered)
///  x-dead-letter-queue:name    QueueOptions.DeadLetterQueue ("" = drop)
/// </code>
/// Without any of them the queue is declared with the defaults on first use. Stateless, thread-safe.
/// </summary>
public static class StompQueueArguments
{
    public const string MaxLength = "x-max-length";
    public const string Overflow = "x-overflow";
    public const string MessageTtl = "x-message-ttl";
    public const string DeliveryLimit = "x-delivery-limit";
    public const string DeadLetterQueue = "x-dead-letter-queue";

    public static IReadOnlyList<string> Names { get; } = [MaxLength, Overflow, MessageTtl, DeliveryLimit, DeadLetterQueue];

    /// <summary>The options the frame asks for, null when it names none; throws <see cref="ArgumentException"/> for bad values.</summary>
    public static QueueOptions? Parse(StompFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var any = false;
        var options = new QueueOptions();
        if (frame.Get(MaxLength) is { } maxLength)
        {
            options = options with { MaxLength = ParsePositive(maxLength, MaxLength) };
            any = true;
        }

        if (frame.Get(Overflow) is { } overflow)
        {
            options = options with
            {
                Overflow = overflow switch
                {
                    "reject-publish" => QueueOverflow.RejectPublish,
                    "drop-head" => QueueOverflow.DropHead,
                    _ => throw new ArgumentException("x-overflow must be reject-publish or drop-head"),
                },
            };
            any = true;
        }

        if (frame.Get(MessageTtl) is { } ttl)
        {
            options = options with { MessageTtl = TimeSpan.FromMilliseconds(ParsePositive(ttl, MessageTtl)) };
            any = true;
        }

        if (frame.Get(DeliveryLimit) is { } limit)
        {
            options = options with { DeliveryLimit = checked((int)ParsePositive(limit, DeliveryLimit)) };
            any = true;
        }

        if (frame.Get(DeadLetterQueue) is { } dlq)
        {
            if (dlq.Length > 0)
            {
                QueueNames.Validate(dlq, DeadLetterQueue);
            }

            options = options with { DeadLetterQueue = dlq };
            any = true;
        }

        return any ? options : null;
    }

    private static long ParsePositive(string value, string name) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} must be a positive integer");
}
