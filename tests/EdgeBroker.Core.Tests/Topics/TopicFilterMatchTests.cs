namespace EdgeBroker.Core.Tests.Topics;

using EdgeBroker.Core.Topics;

/// <summary>The brute-force matcher (the oracle of the trie) against the spec's examples.</summary>
[Trait("Category", "Conformance")]
public sealed class TopicFilterMatchTests
{
    public static TheoryData<string, string, bool> Cases => new()
    {
        // [MQTT-4.7.1-2] multi-level wildcard, spec section 4.7.1.2 examples.
        { "sport/tennis/player1/#", "sport/tennis/player1", true },
        { "sport/tennis/player1/#", "sport/tennis/player1/ranking", true },
        { "sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true },
        { "sport/#", "sport", true },
        { "#", "sport/tennis", true },
        { "#", "/", true },
        { "sport/#", "sports", false },

        // single-level wildcard, section 4.7.1.3 examples.
        { "sport/tennis/+", "sport/tennis/player1", true },
        { "sport/tennis/+", "sport/tennis/player2", true },
        { "sport/tennis/+", "sport/tennis/player1/ranking", false },
        { "sport/+", "sport", false },
        { "sport/+", "sport/", true },
        { "+/+", "/finance", true },
        { "/+", "/finance", true },
        { "+", "/finance", false },
        { "+", "", true },
        { "+/+/+", "a//b", true },
        { "a/+/b", "a//b", true },

        // literal levels compare ordinally, case-sensitive.
        { "a/b", "a/b", true },
        { "a/b", "A/b", false },
        { "a/b", "a/b/", false },
        { "a/b/", "a/b", false },
        { "a//b", "a//b", true },

        // [MQTT-4.7.2-1] $-topics are not matched by a leading wildcard, but by explicit levels.
        { "#", "$SYS/uptime", false },
        { "+/uptime", "$SYS/uptime", false },
        { "$SYS/#", "$SYS/uptime", true },
        { "$SYS/+", "$SYS/uptime", true },
        { "a/+", "a/$x", true },
        { "a/#", "a/$x/y", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    [Trait("Spec", "MQTT-4.7.1-1")]
    [Trait("Spec", "MQTT-4.7.2-1")]
    public void MatchesFiltersAsTheSpecDescribes(string filter, string topic, bool expected)
    {
        Assert.Equal(expected, TopicFilter.Matches(filter, topic));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheTrieAgreesWithTheSpecExamples(string filter, string topic, bool expected)
    {
        var tree = new TopicTree<int>();
        tree.Add(filter, 1);
        Assert.Equal(expected, tree.Match(topic).Length == 1);
    }
}
