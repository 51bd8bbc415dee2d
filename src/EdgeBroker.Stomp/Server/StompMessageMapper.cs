namespace EdgeBroker.Stomp.Server;

using System.Globalization;
using System.Text;
using System.Text.Unicode;
using EdgeBroker.Core.Messages;
using EdgeBroker.Stomp.Codec;

/// <summary>
/// STOMP headers ↔ the shared <see cref="Message"/> (README "Mapping"). Stateless and thread-safe.
/// <code>
///  STOMP SEND / MESSAGE header      Message field (MQTT 5 property)
///  content-type                     ContentType (Content Type); text/* or charset=utf-8 → PayloadFormat Utf8
///  correlation-id                   CorrelationData as UTF-8 (Correlation Data)
///  reply-to  /topic/x               ResponseTopic "x" (Response Topic); other destinations kept verbatim
///  expires   (absolute Unix ms)     ExpiryInterval = expires - now (Message Expiry Interval)
///  persistent:true                  Persistent, QoS 1
///  retain:true                      Retain (the topic's last value)
///  key                              Key (partition / compaction key)
///  any other header                 Headers (User Properties), order kept
/// </code>
/// </summary>
public static class StompMessageMapper
{
    public const string PersistentHeader = "persistent";
    public const string ExpiresHeader = "expires";
    public const string ReplyToHeader = "reply-to";
    public const string CorrelationIdHeader = "correlation-id";
    public const string RetainHeader = "retain";
    public const string RetainedHeader = "retained";
    public const string KeyHeader = "key";
    public const string RedeliveredHeader = "redelivered";
    public const string DeliveryCountHeader = "delivery-count";
    public const string TimestampHeader = "timestamp";

    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        StompHeaderNames.Destination, StompHeaderNames.ContentLength, StompHeaderNames.ContentType, StompHeaderNames.Receipt,
        StompHeaderNames.Transaction, StompHeaderNames.Subscription, StompHeaderNames.MessageId, StompHeaderNames.Ack,
        StompHeaderNames.Id, StompHeaderNames.ReceiptId, StompHeaderNames.Message,
        PersistentHeader, ExpiresHeader, ReplyToHeader, CorrelationIdHeader, RetainHeader, RetainedHeader, KeyHeader,
        RedeliveredHeader, DeliveryCountHeader, TimestampHeader,
        StompQueueArguments.MaxLength, StompQueueArguments.Overflow, StompQueueArguments.MessageTtl,
        StompQueueArguments.DeliveryLimit, StompQueueArguments.DeadLetterQueue,
    };

    /// <summary>True for headers the adapter interprets itself (they never become user headers and are never overwritten by them).</summary>
    public static bool IsReserved(string name) => Reserved.Contains(name);

    /// <summary>
    /// Builds the message of a SEND. <paramref name="payload"/> must be owned by the caller (it is shared with every
    /// subscriber). <paramref name="replyTo"/> is the already rewritten reply-to (temp queues resolved).
    /// </summary>
    public static Message ToMessage(StompFrame frame, string topic, ReadOnlyMemory<byte> payload, bool persistent, string? replyTo, MessageOrigin origin, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var contentType = frame.Get(StompHeaderNames.ContentType);
        var userHeaders = 0;
        foreach (var header in frame.Headers)
        {
            if (!Reserved.Contains(header.Name))
            {
                userHeaders++;
            }
        }

        MessageHeader[] headers = userHeaders == 0 ? [] : new MessageHeader[userHeaders];
        var at = 0;
        foreach (var header in frame.Headers)
        {
            if (!Reserved.Contains(header.Name))
            {
                headers[at++] = new MessageHeader(header.Name, header.Value);
            }
        }

        TimeSpan? expiry = null;
        if (TryParseLong(frame.Get(ExpiresHeader), out var expiresAt) && expiresAt > 0)
        {
            // Already past: a zero interval makes the broker drop it as expired instead of routing it.
            expiry = TimeSpan.FromMilliseconds(Math.Max(0, expiresAt - nowMs));
        }

        var correlation = frame.Get(CorrelationIdHeader);
        return new Message
        {
            Topic = topic,
            Payload = payload,
            ContentType = contentType,
            PayloadFormat = IsText(contentType) && Utf8.IsValid(payload.Span) ? PayloadFormat.Utf8 : PayloadFormat.Unspecified,
            CorrelationData = correlation is null ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(correlation),
            ResponseTopic = replyTo is null ? null : ToResponseTopic(replyTo),
            Headers = headers,
            ExpiryInterval = expiry,
            TimestampMs = nowMs,
            Key = frame.Get(KeyHeader),
            Qos = persistent ? QualityOfService.AtLeastOnce : QualityOfService.AtMostOnce,
            Retain = IsTrue(frame.Get(RetainHeader)),
            Persistent = persistent,
            Origin = origin,
        };
    }

    /// <summary>
    /// Appends the message-describing headers of a MESSAGE frame (after subscription, message-id, destination and
    /// ack, which the caller writes first). Skips what <paramref name="version"/> cannot carry rather than failing.
    /// </summary>
    public static void AppendHeaders(List<StompHeader> headers, Message message, StompVersion version, bool isRetained, int deliveryCount)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(message);
        var contentType = message.ContentType ?? (message.PayloadFormat == PayloadFormat.Utf8 ? "text/plain;charset=utf-8" : null);
        AddIfCarried(headers, StompHeaderNames.ContentType, contentType, version);
        if (deliveryCount > 0)
        {
            headers.Add(new StompHeader(RedeliveredHeader, deliveryCount > 1 ? "true" : "false"));
            headers.Add(new StompHeader(DeliveryCountHeader, deliveryCount.ToString(CultureInfo.InvariantCulture)));
        }

        if (isRetained)
        {
            headers.Add(new StompHeader(RetainedHeader, "true"));
        }

        if (message.Persistent)
        {
            headers.Add(new StompHeader(PersistentHeader, "true"));
        }

        if (!message.CorrelationData.IsEmpty && Utf8.IsValid(message.CorrelationData.Span))
        {
            AddIfCarried(headers, CorrelationIdHeader, Encoding.UTF8.GetString(message.CorrelationData.Span), version);
        }

        if (message.ResponseTopic is { } responseTopic)
        {
            AddIfCarried(headers, ReplyToHeader, FromResponseTopic(responseTopic), version);
        }

        if (message.ExpiryInterval is { } expiry)
        {
            headers.Add(new StompHeader(ExpiresHeader, (message.TimestampMs + (long)expiry.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)));
        }

        if (message.TimestampMs > 0)
        {
            headers.Add(new StompHeader(TimestampHeader, message.TimestampMs.ToString(CultureInfo.InvariantCulture)));
        }

        AddIfCarried(headers, KeyHeader, message.Key, version);
        foreach (var header in message.Headers)
        {
            // A user property named like a STOMP header would change the frame's meaning: never let it through.
            if (!Reserved.Contains(header.Name) && !string.IsNullOrEmpty(header.Name))
            {
                AddIfCarried(headers, header.Name, header.Value, version);
            }
        }
    }

    /// <summary>STOMP reply-to → MQTT response topic: <c>/topic/x</c> becomes <c>x</c>, other destinations stay as they are.</summary>
    public static string ToResponseTopic(string replyTo) =>
        replyTo.StartsWith(StompDestination.TopicPrefix, StringComparison.Ordinal) ? replyTo[StompDestination.TopicPrefix.Length..] : replyTo;

    /// <summary>MQTT response topic → STOMP reply-to: a topic gets <c>/topic/</c>, a destination (leading '/') stays.</summary>
    public static string FromResponseTopic(string responseTopic) =>
        responseTopic.StartsWith('/') ? responseTopic : StompDestination.TopicPrefix + responseTopic;

    public static bool IsTrue(string? value) => string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);

    private static bool IsText(string? contentType) =>
        contentType is not null
        && (contentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            || contentType.Contains("charset=utf-8", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase));

    private static bool TryParseLong(string? value, out long result)
    {
        result = 0;
        return value is not null && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out result);
    }

    private static void AddIfCarried(List<StompHeader> headers, string name, string? value, StompVersion version)
    {
        if (value is null || name.Contains('\0', StringComparison.Ordinal) || value.Contains('\0', StringComparison.Ordinal))
        {
            return;
        }

        // 1.0 has no escaping: a line break or a ':' in a name cannot be written. 1.1 cannot carry CR.
        if (version == StompVersion.V10 && (name.AsSpan().IndexOfAny('\r', '\n', ':') >= 0 || value.AsSpan().IndexOfAny('\r', '\n') >= 0))
        {
            return;
        }

        if (version == StompVersion.V11 && (name.Contains('\r', StringComparison.Ordinal) || value.Contains('\r', StringComparison.Ordinal)))
        {
            return;
        }

        headers.Add(new StompHeader(name, value));
    }
}
