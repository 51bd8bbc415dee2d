namespace EdgeBroker.Stomp.Server;

using System.Globalization;
using EdgeBroker.Core.Streams;
using EdgeBroker.Stomp.Codec;

/// <summary>
/// The stream headers of a <c>SUBSCRIBE destination:/stream/&lt;name&gt;</c> (README "Streams over STOMP"),
/// following RabbitMQ's STOMP stream headers where they exist:
/// <code>
///  x-stream-offset   first | last | next | &lt;offset&gt; | offset=&lt;offset&gt; | timestamp=&lt;unix ms or ISO 8601&gt;   (default next)
///  x-stream-group    consumer group name (optional; without it the subscriber reads every partition alone)
/// </code>
/// And the headers of each MESSAGE: x-stream-partition, x-stream-offset, x-stream-timestamp, x-stream-topic.
/// Stateless, thread-safe.
/// </summary>
public static class StompStreamArguments
{
    public const string OffsetHeader = "x-stream-offset";
    public const string GroupHeader = "x-stream-group";
    public const string PartitionHeader = "x-stream-partition";
    public const string TimestampHeader = "x-stream-timestamp";
    public const string TopicHeader = "x-stream-topic";

    /// <summary>Parses an <c>x-stream-offset</c> value; null (the default) is <c>next</c>, as in RabbitMQ.</summary>
    public static bool TryParseOffset(string? value, out StreamPosition position)
    {
        position = StreamPosition.Next;
        if (value is null)
        {
            return true;
        }

        if (value.StartsWith("offset=", StringComparison.OrdinalIgnoreCase))
        {
            return TryParseNumber(value.AsSpan("offset=".Length), out var offset) && Set(StreamPosition.AtOffset(offset), out position);
        }

        if (value.StartsWith("timestamp=", StringComparison.OrdinalIgnoreCase))
        {
            var text = value.AsSpan("timestamp=".Length);
            if (TryParseNumber(text, out var ms))
            {
                position = StreamPosition.AtTimestamp(ms);
                return true;
            }

            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
            {
                position = StreamPosition.AtTimestamp(instant.ToUnixTimeMilliseconds());
                return true;
            }

            return false;
        }

        return value.Length > 0 && StreamPosition.TryParse(value, out position);
    }

    /// <summary>The stream headers a MESSAGE carries for <paramref name="record"/>.</summary>
    public static void AppendMessageHeaders(List<StompHeader> headers, StreamRecord record)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(record);
        headers.Add(new StompHeader(PartitionHeader, record.Partition.ToString(CultureInfo.InvariantCulture)));
        headers.Add(new StompHeader(OffsetHeader, record.Offset.ToString(CultureInfo.InvariantCulture)));
        headers.Add(new StompHeader(TimestampHeader, record.TimestampMs.ToString(CultureInfo.InvariantCulture)));
        headers.Add(new StompHeader(TopicHeader, record.Message.Topic));
    }

    private static bool TryParseNumber(ReadOnlySpan<char> text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static bool Set(StreamPosition value, out StreamPosition position)
    {
        position = value;
        return true;
    }
}
