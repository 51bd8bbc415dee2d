namespace EdgeBroker.Core.Tests.Security;

using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Security;

[Trait("Category", "Unit")]
public sealed class AclPolicyTests
{
    private const string Acl = """
        # anonymous clients
        topic read public/#

        user alice
        topic readwrite home/alice/#
        topic deny home/alice/secret
        topic read $SYS/#
        queue readwrite orders
        queue read audit*
        stream read telemetry

        user bob
        topic write home/bob/+/set

        client gateway-7
        topic write plant/7/#

        pattern readwrite devices/%c/#
        pattern read users/%u/inbox
        """;

    private static readonly AclPolicy Policy = new(AclFile.Parse(Acl));

    private static ClientIdentity Client(string? user, string clientId = "c1") => new(ProtocolKind.Mqtt, clientId, user, "127.0.0.1");

    [Theory]
    [InlineData("alice", "home/alice/lamp", true)]
    [InlineData("alice", "home/alice/secret", false)]
    [InlineData("alice", "home/bob/lamp", false)]
    [InlineData("bob", "home/bob/lamp/set", true)]
    [InlineData("bob", "home/bob/lamp", false)]
    [InlineData(null, "public/news", false)]
    [InlineData("alice", "$SYS/broker/uptime", false)]
    [InlineData("alice", "devices/c1/state", true)]
    [InlineData("alice", "devices/c2/state", false)]
    public void PublishNeedsAWriteRuleAndNoDeny(string? user, string topic, bool allowed) =>
        Assert.Equal(allowed, Policy.CanPublish(Client(user), topic));

    [Theory]
    [InlineData("alice", "home/alice/lamp", true)]
    [InlineData("alice", "home/alice/+", false)]
    [InlineData("alice", "home/alice/#", false)]
    [InlineData("alice", "home/+/lamp", false)]
    [InlineData("alice", "$SYS/#", true)]
    [InlineData("bob", "$SYS/#", false)]
    [InlineData("alice", "#", false)]
    [InlineData(null, "public/#", true)]
    [InlineData(null, "public/a/b", true)]
    [InlineData(null, "home/#", false)]
    [InlineData("alice", "$share/g/home/alice/lamp", true)]
    [InlineData("bob", "$share/g/home/alice/lamp", false)]
    [InlineData("alice", "users/alice/inbox", true)]
    [InlineData("bob", "users/alice/inbox", false)]
    [InlineData(null, "users//inbox", false)]
    public void SubscribeNeedsAReadRuleCoveringTheFilterAndNoOverlappingDeny(string? user, string filter, bool allowed) =>
        Assert.Equal(allowed, Policy.CanSubscribe(Client(user), filter));

    [Fact]
    public void ClientBlocksApplyToThatClientIdWhateverTheUser()
    {
        Assert.True(Policy.CanPublish(Client("bob", "gateway-7"), "plant/7/press"));
        Assert.True(Policy.CanPublish(Client(null, "gateway-7"), "plant/7/press"));
        Assert.False(Policy.CanPublish(Client("bob", "gateway-8"), "plant/7/press"));
    }

    [Theory]
    [InlineData("dev+1")]
    [InlineData("dev#")]
    [InlineData("a/b")]
    public void PatternsDenyClientIdsThatWouldWidenTheFilter(string clientId)
    {
        Assert.False(Policy.CanPublish(Client("alice", clientId), $"devices/{clientId}/state"));
        Assert.False(Policy.CanSubscribe(Client("alice", clientId), "devices/+/state"));
    }

    [Fact]
    public void QueuesAndStreamsHaveTheirOwnRules()
    {
        var alice = Client("alice");
        Assert.True(Policy.CanAccess(alice, AclResource.Queue, "orders", AclAccess.Read));
        Assert.True(Policy.CanAccess(alice, AclResource.Queue, "orders", AclAccess.Write));
        Assert.True(Policy.CanAccess(alice, AclResource.Queue, "audit.2026", AclAccess.Read));
        Assert.False(Policy.CanAccess(alice, AclResource.Queue, "audit.2026", AclAccess.Write));
        Assert.False(Policy.CanAccess(alice, AclResource.Queue, "payroll", AclAccess.Read));
        Assert.True(Policy.CanAccess(alice, AclResource.Stream, "telemetry", AclAccess.Read));
        Assert.False(Policy.CanAccess(Client("bob"), AclResource.Stream, "telemetry", AclAccess.Read));
    }

    [Fact]
    public void AnEmptyAclDeniesEverything()
    {
        var empty = new AclPolicy(AclFile.Parse("# nothing\n"));

        Assert.False(empty.CanPublish(Client("alice"), "a"));
        Assert.False(empty.CanSubscribe(Client(null), "a"));
        Assert.False(empty.CanAccess(Client("alice"), AclResource.Queue, "q", AclAccess.Read));
    }

    [Theory]
    [InlineData("bogus read a", "line 1: unknown keyword 'bogus'")]
    [InlineData("user", "line 1: 'user' needs a name")]
    [InlineData("topic", "line 1: missing topic")]
    [InlineData("topic read a/#/b", "line 1: 'a/#/b' is not a valid topic filter")]
    public void MalformedAclLinesAreErrorsNamingTheLine(string text, string expected) =>
        Assert.Contains(expected, Assert.Throws<FormatException>(() => AclFile.Parse(text)).Message, StringComparison.Ordinal);
}
