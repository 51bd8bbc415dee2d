namespace EdgeBroker.Core.Tests.Topics;

using EdgeBroker.Core.Topics;

/// <summary>Topic names and filters, valid and invalid, as tables (idea from mosquitto's subs.c header comment).</summary>
[Trait("Category", "Conformance")]
public sealed class TopicValidationTests
{
    public static TheoryData<string, TopicError> TopicNames => new()
    {
        { "a", TopicError.None },
        { "a/b/c", TopicError.None },
        { "/", TopicError.None },
        { "//", TopicError.None },
        { "/a", TopicError.None },
        { "a/", TopicError.None },
        { "$SYS/broker/uptime", TopicError.None },
        { "sport/tennis player1", TopicError.None },
        { "caf\u00e9/\u6e29\u5ea6/\U0001F600", TopicError.None },
        { "", TopicError.Empty },
        { "a/+", TopicError.WildcardInName },
        { "+", TopicError.WildcardInName },
        { "#", TopicError.WildcardInName },
        { "a/#", TopicError.WildcardInName },
        { "a+b", TopicError.WildcardInName },
        { "a#", TopicError.WildcardInName },
        { "a/\0/b", TopicError.NullCharacter },
    };

    public static TheoryData<string, TopicError> Filters => new()
    {
        { "#", TopicError.None },
        { "+", TopicError.None },
        { "/", TopicError.None },
        { "a/#", TopicError.None },
        { "+/+", TopicError.None },
        { "/+", TopicError.None },
        { "+/", TopicError.None },
        { "a/+/b", TopicError.None },
        { "+/tennis/#", TopicError.None },
        { "$SYS/#", TopicError.None },
        { "a//#", TopicError.None },
        { "$share/group/a/+", TopicError.None },
        { "$share/g/#", TopicError.None },
        { "$share", TopicError.None },
        { "", TopicError.Empty },
        { "a#", TopicError.InvalidMultiLevelWildcard },
        { "a/#/b", TopicError.InvalidMultiLevelWildcard },
        { "#/", TopicError.InvalidMultiLevelWildcard },
        { "#/a", TopicError.InvalidMultiLevelWildcard },
        { "a/b#", TopicError.InvalidMultiLevelWildcard },
        { "##", TopicError.InvalidMultiLevelWildcard },
        { "a+", TopicError.InvalidSingleLevelWildcard },
        { "+a/b", TopicError.InvalidSingleLevelWildcard },
        { "a/b+", TopicError.InvalidSingleLevelWildcard },
        { "++", TopicError.InvalidSingleLevelWildcard },
        { "a/\0", TopicError.NullCharacter },
        { "$share//a", TopicError.InvalidSharedSubscription },
        { "$share/g", TopicError.InvalidSharedSubscription },
        { "$share/g/", TopicError.InvalidSharedSubscription },
        { "$share/g+/a", TopicError.InvalidSharedSubscription },
        { "$share/g#/a", TopicError.InvalidSharedSubscription },
        { "$share/", TopicError.InvalidSharedSubscription },
        { "$share/g/a#", TopicError.InvalidMultiLevelWildcard },
    };

    [Theory]
    [MemberData(nameof(TopicNames))]
    [Trait("Spec", "MQTT-3.3.2-2")]
    [Trait("Spec", "MQTT-1.5.4-2")]
    public void ValidatesTopicNames(string topic, TopicError expected)
    {
        Assert.Equal(expected, Topic.Validate(topic));
        Assert.Equal(expected == TopicError.None, Topic.TryValidate(topic, out var reason));
        Assert.Equal(expected == TopicError.None, reason is null);
    }

    [Theory]
    [MemberData(nameof(Filters))]
    [Trait("Spec", "MQTT-4.7.1-1")]
    [Trait("Spec", "MQTT-4.7.1-2")]
    [Trait("Spec", "MQTT-4.8.2-1")]
    [Trait("Spec", "MQTT-4.8.2-2")]
    public void ValidatesTopicFilters(string filter, TopicError expected)
    {
        Assert.Equal(expected, TopicFilter.Validate(filter));
    }

    [Fact]
    [Trait("Spec", "MQTT-3.3.2-2")]
    public void RejectsPublishWithWildcardInTopicName()
    {
        Assert.False(Topic.TryValidate("sensors/+/temp", out var reason));
        Assert.Contains("MQTT-3.3.2-2", reason, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Spec", "MQTT-1.5.4-1")]
    public void RejectsLoneSurrogates()
    {
        // Not in the theory table: xunit's test-case serialization replaces lone surrogates with U+FFFD.
        Assert.Equal(TopicError.InvalidUtf16, Topic.Validate("a\ud800"));
        Assert.Equal(TopicError.InvalidUtf16, Topic.Validate("\udc00a"));
        Assert.Equal(TopicError.InvalidUtf16, TopicFilter.Validate("a/\ud800/#"));
        Assert.Equal(TopicError.None, Topic.Validate("\ud83d\ude00"));
    }

    [Fact]
    public void RejectsNullTopicAsEmpty()
    {
        Assert.False(Topic.TryValidate(null, out var reason));
        Assert.Contains("at least one character", reason, StringComparison.Ordinal);
        Assert.False(TopicFilter.TryValidate(null, out _));
    }

    [Fact]
    public void CountsUtf8BytesAgainstTheLengthLimit()
    {
        var limits = new TopicLimits { MaxBytes = 6 };

        // "é" is two bytes of UTF-8: three of them are exactly 6 bytes, four are 8.
        Assert.Equal(TopicError.None, Topic.Validate("\u00e9\u00e9\u00e9", limits));
        Assert.Equal(TopicError.TooLong, Topic.Validate("\u00e9\u00e9\u00e9\u00e9", limits));
        Assert.Equal(TopicError.TooLong, TopicFilter.Validate("abcdefg", limits));
    }

    [Fact]
    public void AcceptsTopicsOfExactlyTheSpecMaximumLength()
    {
        Assert.Equal(TopicError.None, Topic.Validate(new string('a', TopicLimits.SpecMaxBytes)));
        Assert.Equal(TopicError.TooLong, Topic.Validate(new string('a', TopicLimits.SpecMaxBytes + 1)));
    }

    [Fact]
    public void EnforcesTheConfiguredMaximumNumberOfLevels()
    {
        var levels128 = string.Join('/', Enumerable.Repeat("x", 128));
        Assert.Equal(TopicError.None, Topic.Validate(levels128));
        Assert.Equal(TopicError.TooManyLevels, Topic.Validate(levels128 + "/x"));
        Assert.Equal(TopicError.TooManyLevels, TopicFilter.Validate("a/b/c", new TopicLimits { MaxLevels = 2 }));
        Assert.Equal(TopicError.None, TopicFilter.Validate("a/b", new TopicLimits { MaxLevels = 2 }));
    }

    [Fact]
    public void RefusesSharedFiltersWhereTheCallerDoesNotAcceptThem()
    {
        Assert.Equal(TopicError.SharedNotAllowed, TopicFilter.Validate("$share/g/a", allowShared: false));
    }

    [Fact]
    [Trait("Spec", "MQTT-4.8.2-1")]
    public void ParsesSharedSubscriptions()
    {
        Assert.True(TopicFilter.TryParseShared("$share/consumers/sensors/+/temp", out var group, out var inner));
        Assert.Equal("consumers", group);
        Assert.Equal("sensors/+/temp", inner);
        Assert.False(TopicFilter.TryParseShared("$share/g+/x", out _, out _));
        Assert.False(TopicFilter.TryParseShared("sensors/#", out _, out _));
    }

    [Fact]
    public void DescribesEveryErrorWithoutFallingBackToTheEnumName()
    {
        foreach (var error in Enum.GetValues<TopicError>())
        {
            Assert.NotEqual(error.ToString(), Topic.Describe(error));
        }
    }
}
