namespace EdgeBroker.Core.Topics;

/// <summary>Why a topic name or filter was refused. <see cref="None"/> means valid.</summary>
public enum TopicError
{
    None = 0,
    /// <summary>[MQTT-4.7.3-1] topic names and filters are at least one character long.</summary>
    Empty = 1,
    /// <summary>[MQTT-3.3.2-2] a topic name must not contain <c>+</c> or <c>#</c>.</summary>
    WildcardInName = 2,
    /// <summary>[MQTT-1.5.4-2] U+0000 is not allowed.</summary>
    NullCharacter = 3,
    /// <summary>[MQTT-1.5.4-1] a lone surrogate cannot be encoded as UTF-8.</summary>
    InvalidUtf16 = 4,
    /// <summary>Longer than <see cref="TopicLimits.MaxBytes"/> bytes of UTF-8 (65,535 in the spec).</summary>
    TooLong = 5,
    /// <summary>More levels than <see cref="TopicLimits.MaxLevels"/>.</summary>
    TooManyLevels = 6,
    /// <summary>[MQTT-4.7.1-1] <c>#</c> must be the last character and alone in its level.</summary>
    InvalidMultiLevelWildcard = 7,
    /// <summary>[MQTT-4.7.1-2] <c>+</c> must occupy an entire level.</summary>
    InvalidSingleLevelWildcard = 8,
    /// <summary>[MQTT-4.8.2-1]/[MQTT-4.8.2-2] <c>$share/&lt;group&gt;/&lt;filter&gt;</c> with a non-empty group free of <c>/ + #</c>.</summary>
    InvalidSharedSubscription = 9,
    /// <summary>A shared subscription where the caller does not accept one.</summary>
    SharedNotAllowed = 10,
}
