namespace EdgeBroker.Core.Streams;

using System.Globalization;

/// <summary>
/// A start position in one partition: <c>first</c>, <c>last</c>, <c>next</c>, an offset or a timestamp.
/// Text form (shared by every protocol): <c>first</c> | <c>last</c> | <c>next</c> | <c>offset:N</c> (or just <c>N</c>)
/// | <c>timestamp:ms</c>. Immutable.
/// </summary>
public readonly record struct StreamPosition(StreamPositionKind Kind, long Value = 0)
{
    public static StreamPosition First => new(StreamPositionKind.First);

    public static StreamPosition Last => new(StreamPositionKind.Last);

    public static StreamPosition Next => new(StreamPositionKind.Next);

    public static StreamPosition AtOffset(long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return new(StreamPositionKind.Offset, offset);
    }

    public static StreamPosition AtTimestamp(long timestampMs) => new(StreamPositionKind.Timestamp, timestampMs);

    public static bool TryParse(string? text, out StreamPosition position)
    {
        position = First;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim();
        switch (trimmed.ToLowerInvariant())
        {
            case "first":
            case "earliest":
                position = First;
                return true;
            case "last":
                position = Last;
                return true;
            case "next":
            case "latest":
                position = Next;
                return true;
        }

        if (trimmed.StartsWith("timestamp:", StringComparison.OrdinalIgnoreCase))
        {
            if (long.TryParse(trimmed.AsSpan("timestamp:".Length), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms))
            {
                position = AtTimestamp(ms);
                return true;
            }

            return false;
        }

        var number = trimmed.StartsWith("offset:", StringComparison.OrdinalIgnoreCase) ? trimmed.AsSpan("offset:".Length) : trimmed.AsSpan();
        if (long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
        {
            position = AtOffset(offset);
            return true;
        }

        return false;
    }

    public override string ToString() => Kind switch
    {
        StreamPositionKind.First => "first",
        StreamPositionKind.Last => "last",
        StreamPositionKind.Next => "next",
        StreamPositionKind.Offset => "offset:" + Value.ToString(CultureInfo.InvariantCulture),
        _ => "timestamp:" + Value.ToString(CultureInfo.InvariantCulture),
    };
}
