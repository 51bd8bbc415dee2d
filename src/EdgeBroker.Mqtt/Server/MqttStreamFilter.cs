namespace EdgeBroker.Mqtt.Server;

using System.Globalization;
using EdgeBroker.Core.Streams;
using EdgeBroker.Core.Topics;

/// <summary>
/// The MQTT subscription form that reads a stream (README "Streams over MQTT"):
/// <code>
///  $stream/&lt;name&gt;/&lt;start&gt;/&lt;filter…&gt;                     alone: every partition from &lt;start&gt;
///  $stream/&lt;name&gt;/&lt;start&gt;/$group/&lt;group&gt;/&lt;filter…&gt;     as a member of consumer group &lt;group&gt;
///  start  = first | last | next | &lt;offset&gt; | t&lt;unix ms&gt;
///  filter = an MQTT filter on the records' topics (# = all)
/// </code>
/// Immutable; parsing is stateless and thread-safe.
/// </summary>
internal sealed record MqttStreamFilter(string Stream, StreamPosition Start, string? Group, string TopicFilter)
{
    public const string Prefix = "$stream/";
    private const string GroupLevel = "$group";

    public static bool IsStream(string filter) => filter.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Parses a <c>$stream/</c> filter; null and a reason when malformed.</summary>
    public static MqttStreamFilter? Parse(string filter, out string? error)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var levels = filter[Prefix.Length..].Split('/', 3);
        if (levels.Length < 3 || levels[2].Length == 0)
        {
            error = "expected $stream/<name>/<start>/<filter>";
            return null;
        }

        if (StreamNames.Check(levels[0]) is { } reason)
        {
            error = reason;
            return null;
        }

        if (!TryParseStart(levels[1], out var start))
        {
            error = "start must be first, last, next, an offset or t<unix ms>";
            return null;
        }

        string? group = null;
        var rest = levels[2];
        if (rest.StartsWith(GroupLevel + "/", StringComparison.Ordinal))
        {
            var parts = rest[(GroupLevel.Length + 1)..].Split('/', 2);
            if (parts.Length < 2 || parts[1].Length == 0 || StreamNames.CheckGroup(parts[0]) is not null)
            {
                error = "expected $stream/<name>/<start>/$group/<group>/<filter> with a group name of A-Z a-z 0-9 . _ -";
                return null;
            }

            group = parts[0];
            rest = parts[1];
        }

        if (Core.Topics.TopicFilter.Validate(rest) != TopicError.None)
        {
            error = "invalid topic filter after the stream position";
            return null;
        }

        error = null;
        return new MqttStreamFilter(levels[0], start, group, rest);
    }

    private static bool TryParseStart(string text, out StreamPosition start)
    {
        start = StreamPosition.Next;
        switch (text)
        {
            case "first":
                start = StreamPosition.First;
                return true;
            case "last":
                start = StreamPosition.Last;
                return true;
            case "next":
                return true;
        }

        if (text.Length > 1 && text[0] == 't' && long.TryParse(text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
        {
            start = StreamPosition.AtTimestamp(ms);
            return true;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
        {
            start = StreamPosition.AtOffset(offset);
            return true;
        }

        return false;
    }
}
