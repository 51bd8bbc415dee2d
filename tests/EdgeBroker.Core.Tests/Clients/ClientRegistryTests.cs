namespace EdgeBroker.Core.Tests.Clients;

using EdgeBroker.Core.Clients;
using EdgeBroker.Core.Messages;

[Trait("Category", "Unit")]
public sealed class ClientRegistryTests
{
    private static ClientRegistration Client(ProtocolKind protocol, string id, List<string>? closed = null) =>
        new(protocol, id, null, "127.0.0.1:1", DateTimeOffset.UnixEpoch) { Disconnect = reason => closed?.Add(id + ":" + reason) };

    [Fact]
    public void CountsPerProtocolFollowRegistrationsAndDisposals()
    {
        var registry = new ClientRegistry();
        var a = registry.Register(Client(ProtocolKind.Mqtt, "a"));
        using var b = registry.Register(Client(ProtocolKind.Mqtt, "b"));
        using var c = registry.Register(Client(ProtocolKind.SignalR, "c"));
        Assert.Equal((2, 0, 1), (registry.Count(ProtocolKind.Mqtt), registry.Count(ProtocolKind.Stomp), registry.Count(ProtocolKind.SignalR)));
        Assert.Equal(["a", "b", "c"], registry.Clients.Select(x => x.ClientId));

        a.Dispose();
        a.Dispose(); // idempotent
        Assert.Equal(1, registry.Count(ProtocolKind.Mqtt));
        Assert.Equal(["b", "c"], registry.Clients.Select(x => x.ClientId));
    }

    [Fact]
    public void ATakeoverKeepsTheNewerRegistrationWhenTheOlderOneEnds()
    {
        var registry = new ClientRegistry();
        var old = registry.Register(Client(ProtocolKind.Mqtt, "dev"));
        using var newer = registry.Register(Client(ProtocolKind.Mqtt, "dev"));
        old.Dispose();
        Assert.Single(registry.Clients);
        Assert.Equal(1, registry.Count(ProtocolKind.Mqtt));
    }

    [Fact]
    public void DisconnectCallsEveryMatchingClientOfThatProtocolOnly()
    {
        var registry = new ClientRegistry();
        var closed = new List<string>();
        using var a = registry.Register(Client(ProtocolKind.Stomp, "x", closed));
        using var b = registry.Register(Client(ProtocolKind.Stomp, "x", closed));
        using var c = registry.Register(Client(ProtocolKind.Mqtt, "x", closed));
        Assert.Equal(2, registry.Disconnect(ProtocolKind.Stomp, "x", "operator"));
        Assert.Equal(["x:operator", "x:operator"], closed);
        Assert.Equal(0, registry.Disconnect(ProtocolKind.SignalR, "x", "operator"));
    }
}
