namespace EdgeBroker.Core.Topics;

/// <summary>Size limits applied to topic names and filters (RELIABILITY.md "Post-auth limits").</summary>
public sealed record TopicLimits
{
    /// <summary>The spec maximum: a UTF-8 string is prefixed by a two-byte length.</summary>
    public const int SpecMaxBytes = 65_535;

    public static TopicLimits Default { get; } = new();

    /// <summary>Most UTF-8 bytes in a topic name or filter (including a <c>$share/&lt;group&gt;/</c> prefix).</summary>
    public int MaxBytes { get; init; } = SpecMaxBytes;

    /// <summary>Most levels (<c>a/b/c</c> has 3); bounds trie depth and match recursion.</summary>
    public int MaxLevels { get; init; } = 128;
}
