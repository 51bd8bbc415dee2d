namespace EdgeBroker.Core.Topics;

using System.Diagnostics.CodeAnalysis;

/// <summary>
/// Topic filters: topic names plus the wildcards <c>+</c> (exactly one level, possibly empty) and
/// <c>#</c> (this level and every level below, including the parent itself: <c>a/#</c> matches <c>a</c>).
/// A leading wildcard never matches a topic starting with <c>$</c> [MQTT-4.7.2-1].
/// Shared subscriptions are written <c>$share/&lt;group&gt;/&lt;filter&gt;</c>. Stateless, thread-safe.
/// </summary>
/// <remarks>
/// Valid: <c>#</c>, <c>+</c>, <c>/</c>, <c>a/#</c>, <c>+/+</c>, <c>a/+/b</c>, <c>/+</c>, <c>+/</c>, <c>$SYS/#</c>.
/// Invalid: <c>a#</c>, <c>a/#/b</c>, <c>#/</c>, <c>a+</c>, <c>+a/b</c>, <c>a/b+</c>, <c>$share//a</c>, <c>$share/g+/a</c>, <c>$share/g</c>.
/// </remarks>
public static class TopicFilter
{
    public const string SharePrefix = "$share/";

    /// <summary>Checks a filter; <see cref="TopicError.None"/> when it may be subscribed to.</summary>
    public static TopicError Validate(ReadOnlySpan<char> filter, TopicLimits? limits = null, bool allowShared = true)
    {
        limits ??= TopicLimits.Default;
        if (filter.StartsWith(SharePrefix, StringComparison.Ordinal))
        {
            if (!allowShared)
            {
                return TopicError.SharedNotAllowed;
            }

            var lengthError = Topic.CheckCharacters(filter, limits, out _);
            if (lengthError is TopicError.TooLong or TopicError.NullCharacter or TopicError.InvalidUtf16)
            {
                return lengthError;
            }

            return TrySplitShared(filter, out _, out var inner) ? ValidatePlain(inner, limits) : TopicError.InvalidSharedSubscription;
        }

        return ValidatePlain(filter, limits);
    }

    /// <summary>Checks a filter and explains a refusal in words.</summary>
    public static bool TryValidate([NotNullWhen(true)] string? filter, [NotNullWhen(false)] out string? reason, TopicLimits? limits = null, bool allowShared = true)
    {
        var error = filter is null ? TopicError.Empty : Validate(filter, limits, allowShared);
        reason = error == TopicError.None ? null : Topic.Describe(error, limits);
        return error == TopicError.None;
    }

    public static bool IsValid([NotNullWhen(true)] string? filter, TopicLimits? limits = null) => filter is not null && Validate(filter, limits) == TopicError.None;

    /// <summary>True when the filter is written as a shared subscription (it may still be invalid).</summary>
    public static bool IsShared(ReadOnlySpan<char> filter) => filter.StartsWith(SharePrefix, StringComparison.Ordinal);

    /// <summary>True when the filter contains <c>+</c> or <c>#</c>.</summary>
    public static bool HasWildcards(ReadOnlySpan<char> filter) => filter.IndexOfAny(Topic.SingleLevelWildcard, Topic.MultiLevelWildcard) >= 0;

    /// <summary>Splits a valid <c>$share/&lt;group&gt;/&lt;filter&gt;</c>; false when it is not a valid shared filter.</summary>
    public static bool TryParseShared(string filter, [NotNullWhen(true)] out string? group, [NotNullWhen(true)] out string? innerFilter, TopicLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(filter);
        group = null;
        innerFilter = null;
        if (!IsShared(filter) || Validate(filter, limits) != TopicError.None || !TrySplitShared(filter, out var g, out var inner))
        {
            return false;
        }

        group = g.ToString();
        innerFilter = inner.ToString();
        return true;
    }

    /// <summary>
    /// Brute-force matching of one (non-shared, valid) filter against one (valid) topic name, level by level.
    /// The oracle the <see cref="TopicTree{T}"/> is tested against; allocation-free.
    /// </summary>
    public static bool Matches(ReadOnlySpan<char> filter, ReadOnlySpan<char> topic)
    {
        // [MQTT-4.7.2-1] a leading wildcard does not match a topic beginning with '$'.
        if (Topic.IsReserved(topic) && !filter.IsEmpty && filter[0] is Topic.SingleLevelWildcard or Topic.MultiLevelWildcard)
        {
            return false;
        }

        var topicDone = false;
        while (true)
        {
            var filterEnd = filter.IndexOf(Topic.Separator);
            var filterLevel = filterEnd < 0 ? filter : filter[..filterEnd];
            if (filterLevel is "#")
            {
                // '#' matches the parent level too: "a/#" matches "a".
                return true;
            }

            if (topicDone)
            {
                return false;
            }

            var topicEnd = topic.IndexOf(Topic.Separator);
            var topicLevel = topicEnd < 0 ? topic : topic[..topicEnd];
            if (filterLevel is not "+" && !filterLevel.SequenceEqual(topicLevel))
            {
                return false;
            }

            if (filterEnd < 0)
            {
                return topicEnd < 0;
            }

            filter = filter[(filterEnd + 1)..];
            if (topicEnd < 0)
            {
                topicDone = true;
            }
            else
            {
                topic = topic[(topicEnd + 1)..];
            }
        }
    }

    private static TopicError ValidatePlain(ReadOnlySpan<char> filter, TopicLimits limits)
    {
        var error = Topic.CheckCharacters(filter, limits, out _);
        if (error != TopicError.None)
        {
            return error;
        }

        var levelStart = 0;
        for (var i = 0; i <= filter.Length; i++)
        {
            if (i < filter.Length && filter[i] != Topic.Separator)
            {
                continue;
            }

            var level = filter[levelStart..i];
            var hash = level.IndexOf(Topic.MultiLevelWildcard);
            if (hash >= 0 && (level.Length != 1 || i != filter.Length))
            {
                // [MQTT-4.7.1-1] '#' alone in its level, and that level is the last one.
                return TopicError.InvalidMultiLevelWildcard;
            }

            if (level.IndexOf(Topic.SingleLevelWildcard) >= 0 && level.Length != 1)
            {
                // [MQTT-4.7.1-2] '+' occupies an entire level.
                return TopicError.InvalidSingleLevelWildcard;
            }

            levelStart = i + 1;
        }

        return TopicError.None;
    }

    private static bool TrySplitShared(ReadOnlySpan<char> filter, out ReadOnlySpan<char> group, out ReadOnlySpan<char> inner)
    {
        var rest = filter[SharePrefix.Length..];
        var slash = rest.IndexOf(Topic.Separator);
        group = slash < 0 ? rest : rest[..slash];
        inner = slash < 0 ? [] : rest[(slash + 1)..];

        // [MQTT-4.8.2-1] the ShareName is at least one character; [MQTT-4.8.2-2] without '/', '+' or '#';
        // and a shared subscription always carries a topic filter after it.
        return slash > 0 && group.IndexOfAny(Topic.SingleLevelWildcard, Topic.MultiLevelWildcard) < 0 && !inner.IsEmpty;
    }
}
