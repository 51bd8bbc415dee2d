namespace EdgeBroker.Stomp.Server;

using EdgeBroker.Core.Queues;

/// <summary>
/// A parsed <c>destination</c> header. Values are never trimmed (README "values are never trimmed"):
/// <c>/topic/ a</c> is the topic <c> a</c>, which MQTT allows.
/// <code>
///  /topic/&lt;topic or filter&gt;        Topic      Name = the MQTT topic or filter
///  /queue/&lt;name&gt;                    Queue      Name = queue name ([A-Za-z0-9._-])
///  /temp-queue/&lt;name&gt;               TempQueue  Name = the client's name for it
///  /exchange/&lt;name&gt;[/&lt;pattern&gt;]     Exchange   Name = exchange, Pattern = routing topic / binding pattern
///  /stream/&lt;name&gt;                   Stream     Name = stream name (StompSession.Streams.cs)
/// </code>
/// Immutable.
/// </summary>
public readonly record struct StompDestination(StompDestinationKind Kind, string Name, string? Pattern = null)
{
    public const string TopicPrefix = "/topic/";
    public const string QueuePrefix = "/queue/";
    public const string TempQueuePrefix = "/temp-queue/";
    public const string ExchangePrefix = "/exchange/";
    public const string StreamPrefix = "/stream/";

    /// <summary>Parses <paramref name="value"/>; returns null and a reason when it names nothing this broker knows.</summary>
    public static StompDestination? Parse(string? value, out string? error)
    {
        error = null;
        if (string.IsNullOrEmpty(value))
        {
            error = "missing destination header";
            return null;
        }

        if (value.StartsWith(TopicPrefix, StringComparison.Ordinal))
        {
            var topic = value[TopicPrefix.Length..];
            if (topic.Length == 0)
            {
                error = "empty topic";
                return null;
            }

            return new StompDestination(StompDestinationKind.Topic, topic);
        }

        if (value.StartsWith(QueuePrefix, StringComparison.Ordinal))
        {
            return Named(StompDestinationKind.Queue, value[QueuePrefix.Length..], out error);
        }

        if (value.StartsWith(TempQueuePrefix, StringComparison.Ordinal))
        {
            return Named(StompDestinationKind.TempQueue, value[TempQueuePrefix.Length..], out error);
        }

        if (value.StartsWith(ExchangePrefix, StringComparison.Ordinal))
        {
            var rest = value[ExchangePrefix.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var name = slash < 0 ? rest : rest[..slash];
            var pattern = slash < 0 ? null : rest[(slash + 1)..];
            if (name.Length == 0)
            {
                error = "empty exchange name";
                return null;
            }

            return new StompDestination(StompDestinationKind.Exchange, name, pattern);
        }

        if (value.StartsWith(StreamPrefix, StringComparison.Ordinal))
        {
            return new StompDestination(StompDestinationKind.Stream, value[StreamPrefix.Length..]);
        }

        error = "unknown destination (use /topic/, /queue/, /temp-queue/ or /exchange/)";
        return null;
    }

    private static StompDestination? Named(StompDestinationKind kind, string name, out string? error)
    {
        error = QueueNames.Check(name);
        return error is null ? new StompDestination(kind, name) : null;
    }

    /// <summary>The destination header for this destination.</summary>
    public override string ToString() => Kind switch
    {
        StompDestinationKind.Topic => TopicPrefix + Name,
        StompDestinationKind.Queue => QueuePrefix + Name,
        StompDestinationKind.TempQueue => TempQueuePrefix + Name,
        StompDestinationKind.Exchange => Pattern is null ? ExchangePrefix + Name : ExchangePrefix + Name + "/" + Pattern,
        _ => StreamPrefix + Name,
    };
}
