namespace EdgeBroker.Core.Tests.Clients;

using EdgeBroker.Core.Clients;
using EdgeBroker.Core.Topics;

[Trait("Category", "Unit")]
public sealed class PresenceTopicsTests
{
    [Theory]
    [InlineData("sensor-7", "$SYS/clients/sensor-7/presence")]
    [InlineData("a/b", "$SYS/clients/a%2Fb/presence")]
    [InlineData("+#%", "$SYS/clients/%2B%23%25/presence")]
    [InlineData("", "$SYS/clients/%00/presence")]
    [InlineData("tab\tid", "$SYS/clients/tab%09id/presence")]
    public void ClientIdBecomesExactlyOneValidTopicLevel(string clientId, string expected)
    {
        var topic = PresenceTopics.Presence(clientId);
        Assert.Equal(expected, topic);
        Assert.Equal(TopicError.None, Topic.Validate(topic, TopicLimits.Default));
        Assert.Equal(4, topic.Split('/').Length);
    }

    [Fact]
    public void DistinctClientIdsNeverShareATopic()
    {
        string[] ids = ["a/b", "a%2Fb", "a_b", "a+b", "a%2Bb"];
        Assert.Equal(ids.Length, ids.Select(PresenceTopics.Presence).Distinct(StringComparer.Ordinal).Count());
    }
}
