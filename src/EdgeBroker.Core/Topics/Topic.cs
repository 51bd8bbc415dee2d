namespace EdgeBroker.Core.Topics;

using System.Diagnostics.CodeAnalysis;

/// <summary>
/// Topic names: the concrete topic a message is published to (no wildcards). Levels are separated by
/// <c>/</c> and may be empty (<c>/a//b</c> has four levels). Stateless, thread-safe.
/// </summary>
public static class Topic
{
    public const char Separator = '/';

    public const char SingleLevelWildcard = '+';

    public const char MultiLevelWildcard = '#';

    /// <summary>Checks a topic name; <see cref="TopicError.None"/> when it may be published to.</summary>
    public static TopicError Validate(ReadOnlySpan<char> topic, TopicLimits? limits = null)
    {
        limits ??= TopicLimits.Default;
        var error = CheckCharacters(topic, limits, out _);
        if (error != TopicError.None)
        {
            return error;
        }

        // [MQTT-3.3.2-2] the topic name in a PUBLISH must not contain wildcard characters.
        return topic.IndexOfAny(SingleLevelWildcard, MultiLevelWildcard) >= 0 ? TopicError.WildcardInName : TopicError.None;
    }

    /// <summary>Checks a topic name and explains a refusal in words (for logs, STOMP ERROR, HTTP 400).</summary>
    public static bool TryValidate([NotNullWhen(true)] string? topic, [NotNullWhen(false)] out string? reason, TopicLimits? limits = null)
    {
        var error = topic is null ? TopicError.Empty : Validate(topic, limits);
        reason = error == TopicError.None ? null : Describe(error, limits);
        return error == TopicError.None;
    }

    public static bool IsValid([NotNullWhen(true)] string? topic, TopicLimits? limits = null) => topic is not null && Validate(topic, limits) == TopicError.None;

    /// <summary>True for topics starting with <c>$</c> (<c>$SYS/…</c>): never matched by a leading wildcard [MQTT-4.7.2-1].</summary>
    public static bool IsReserved(ReadOnlySpan<char> topic) => !topic.IsEmpty && topic[0] == '$';

    /// <summary>A human-readable reason for an error, citing the spec statement.</summary>
    public static string Describe(TopicError error, TopicLimits? limits = null)
    {
        limits ??= TopicLimits.Default;
        return error switch
        {
            TopicError.None => "valid",
            TopicError.Empty => "a topic must be at least one character long [MQTT-4.7.3-1]",
            TopicError.WildcardInName => "wildcards '+' and '#' are not allowed in a topic name [MQTT-3.3.2-2]",
            TopicError.NullCharacter => "U+0000 is not allowed in a topic [MQTT-1.5.4-2]",
            TopicError.InvalidUtf16 => "a topic must be well-formed UTF-8 (no lone surrogates) [MQTT-1.5.4-1]",
            TopicError.TooLong => $"a topic must be at most {limits.MaxBytes} bytes of UTF-8",
            TopicError.TooManyLevels => $"a topic must have at most {limits.MaxLevels} levels",
            TopicError.InvalidMultiLevelWildcard => "'#' must be alone in the last level of a filter [MQTT-4.7.1-1]",
            TopicError.InvalidSingleLevelWildcard => "'+' must occupy an entire level of a filter [MQTT-4.7.1-2]",
            TopicError.InvalidSharedSubscription => "a shared subscription is $share/<group>/<filter> with a non-empty group without '/', '+' or '#' [MQTT-4.8.2-1] [MQTT-4.8.2-2]",
            TopicError.SharedNotAllowed => "a $share/ filter is not accepted here",
            _ => error.ToString(),
        };
    }

    /// <summary>
    /// Rules common to names and filters, in one pass: no U+0000, no lone surrogate, UTF-8 length and
    /// level count within the limits. Returns the number of levels.
    /// </summary>
    internal static TopicError CheckCharacters(ReadOnlySpan<char> text, TopicLimits limits, out int levels)
    {
        levels = 0;
        if (text.IsEmpty)
        {
            return TopicError.Empty;
        }

        levels = 1;
        long bytes = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < 0x80)
            {
                if (c == '\0')
                {
                    return TopicError.NullCharacter;
                }

                if (c == Separator)
                {
                    levels++;
                }

                bytes++;
            }
            else if (c < 0x800)
            {
                bytes += 2;
            }
            else if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return TopicError.InvalidUtf16;
                }

                i++;
                bytes += 4;
            }
            else if (char.IsLowSurrogate(c))
            {
                return TopicError.InvalidUtf16;
            }
            else
            {
                bytes += 3;
            }
        }

        if (bytes > limits.MaxBytes)
        {
            return TopicError.TooLong;
        }

        return levels > limits.MaxLevels ? TopicError.TooManyLevels : TopicError.None;
    }
}
