namespace EdgeBroker.Stomp.Tests.Server;

using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Security;
using EdgeBroker.Stomp.Codec;
using EdgeBroker.Stomp.Server;

[Trait("Category", "Conformance")]
public sealed class StompConnectTests
{
    [Fact]
    [Trait("Spec", "STOMP-1.2-CONNECTED")]
    public async Task AnswersConnectWithConnectedCarryingVersionSessionServerAndHeartBeat()
    {
        await using var broker = new StompTestBroker();
        await using var client = broker.Connect("conn-7");
        await client.SendAsync("CONNECT", [("accept-version", "1.0,1.1,1.2"), ("host", "/"), ("heart-beat", "0,0")]);
        var connected = await client.ExpectAsync(StompCommand.Connected);

        Assert.Equal("1.2", connected.Get("version"));
        Assert.Equal("conn-7", connected.Get("session"));
        Assert.Equal("EdgeBroker/1.0", connected.Get("server"));
        Assert.Equal("1000,10000", connected.Get("heart-beat"));
    }

    [Theory]
    [InlineData("1.1", "1.1")]
    [InlineData("1.0,1.1", "1.1")]
    [InlineData("1.2,1.0", "1.2")]
    [InlineData("1.0", "1.0")]
    [Trait("Spec", "STOMP-1.2-Protocol-Negotiation")]
    public async Task NegotiatesTheHighestCommonVersion(string accept, string expected)
    {
        await using var broker = new StompTestBroker();
        await using var client = broker.Connect();
        await client.SendAsync("STOMP", [("accept-version", accept), ("host", "/")]);
        Assert.Equal(expected, (await client.ExpectAsync(StompCommand.Connected)).Get("version"));
    }

    [Fact]
    [Trait("Spec", "STOMP-1.2-Protocol-Negotiation")]
    public async Task ConnectWithoutAcceptVersionIsStomp10WithoutHeartBeat()
    {
        await using var broker = new StompTestBroker();
        await using var client = broker.Connect();
        await client.SendAsync("CONNECT", []);
        var connected = await client.ExpectAsync(StompCommand.Connected);
        Assert.Equal("1.0", connected.Get("version"));
        Assert.Null(connected.Get("heart-beat"));
    }

    [Fact]
    [Trait("Spec", "STOMP-1.2-Protocol-Negotiation")]
    public async Task RefusesUnsupportedVersionsWithAnErrorListingTheSupportedOnes()
    {
        await using var broker = new StompTestBroker();
        await using var client = broker.Connect();
        await client.SendAsync("CONNECT", [("accept-version", "2.0,3.1"), ("host", "/")]);
        var error = await client.ExpectAsync(StompCommand.Error);

        Assert.Equal("1.0,1.1,1.2", error.Get("version"));
        Assert.Contains("1.0,1.1,1.2", error.Get("message"), StringComparison.Ordinal);
        Assert.True(await client.WaitClosedAsync());
    }

    [Fact]
    public async Task RefusesAnyFrameBeforeConnect()
    {
        await using var broker = new StompTestBroker();
        await using var client = broker.Connect();
        await client.SendAsync("SEND", [("destination", "/topic/a")], "x");
        var error = await client.ExpectAsync(StompCommand.Error);
        Assert.Contains("CONNECT", error.Get("message"), StringComparison.Ordinal);
        Assert.True(await client.WaitClosedAsync());
    }

    [Fact]
    public async Task RefusesBadCredentialsWithAGenericError()
    {
        await using var broker = new StompTestBroker(authorizer: new PasswordAuthorizer("alice", "secret"));
        await using var client = broker.Connect();
        await client.SendAsync("CONNECT", [("accept-version", "1.2"), ("host", "/"), ("login", "alice"), ("passcode", "wrong")]);
        var error = await client.ExpectAsync(StompCommand.Error);
        Assert.Equal("access refused", error.Get("message"));
        Assert.True(await client.WaitClosedAsync());
    }

    [Fact]
    public async Task AcceptsGoodCredentialsThroughTheAuthorizationHook()
    {
        var authorizer = new PasswordAuthorizer("alice", "secret");
        await using var broker = new StompTestBroker(authorizer: authorizer);
        await using var client = broker.Connect();
        await client.SendAsync("CONNECT", [("accept-version", "1.2"), ("host", "/"), ("login", "alice"), ("passcode", "secret")]);
        await client.ExpectAsync(StompCommand.Connected);
        Assert.Equal(ProtocolKind.Stomp, authorizer.LastRequest!.Protocol);
        Assert.Equal("alice", authorizer.LastRequest.UserName);
    }

    [Fact]
    public async Task AnswersWithAnErrorWhileTheBrokerIsUnavailable()
    {
        await using var broker = new StompTestBroker();
        broker.Available = false;
        await using var client = broker.Connect();
        await client.SendAsync("CONNECT", [("accept-version", "1.2"), ("host", "/")]);
        Assert.Equal("server not available", (await client.ExpectAsync(StompCommand.Error)).Get("message"));
    }

    [Fact]
    [Trait("Spec", "STOMP-1.2-Heart-beating")]
    public async Task SendsHeartBeatsAtTheNegotiatedInterval()
    {
        await using var broker = new StompTestBroker(new StompServerOptions { HeartbeatSendMs = 50, HeartbeatReceiveMs = 0 });
        await using var client = await broker.ConnectedAsync(heartBeat: "0,50");

        // Nothing else is sent on this connection, so heart-beats must keep arriving; poll with a deadline.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (client.HeartbeatsReceived < 3 && DateTime.UtcNow < deadline)
        {
            await Assert.ThrowsAsync<TimeoutException>(() => client.TryReceiveAsync(TimeSpan.FromMilliseconds(100)));
        }

        Assert.True(client.HeartbeatsReceived >= 3, $"only {client.HeartbeatsReceived} heart-beats");
    }

    [Fact]
    [Trait("Spec", "STOMP-1.2-Heart-beating")]
    public async Task ClosesAConnectionWhoseHeartBeatsStop()
    {
        await using var broker = new StompTestBroker(new StompServerOptions { HeartbeatSendMs = 0, HeartbeatReceiveMs = 50, HeartbeatTolerance = 1.5 });
        await using var client = await broker.ConnectedAsync(heartBeat: "50,0");

        var error = await client.ExpectAsync(StompCommand.Error);
        Assert.Equal("heart-beat timeout", error.Get("message"));
        Assert.True(await client.WaitClosedAsync());
    }

    [Fact]
    [Trait("Spec", "STOMP-1.2-Heart-beating")]
    public async Task KeepsAConnectionThatSendsHeartBeats()
    {
        await using var broker = new StompTestBroker(new StompServerOptions { HeartbeatSendMs = 0, HeartbeatReceiveMs = 100 });
        await using var client = await broker.ConnectedAsync(heartBeat: "100,0");
        for (var i = 0; i < 6; i++)
        {
            await client.SendRawAsync("\n");
            await Assert.ThrowsAsync<TimeoutException>(() => client.TryReceiveAsync(TimeSpan.FromMilliseconds(60)));
        }

        await client.SendAsync("DISCONNECT", [("receipt", "bye")]);
        Assert.Equal("bye", (await client.ExpectAsync(StompCommand.Receipt)).Get("receipt-id"));
    }

    [Fact]
    public async Task ClosesAConnectionThatNeverSendsConnect()
    {
        await using var broker = new StompTestBroker(new StompServerOptions { ConnectTimeout = TimeSpan.FromMilliseconds(100) });
        await using var client = broker.Connect();
        Assert.Equal("CONNECT timeout", (await client.ExpectAsync(StompCommand.Error)).Get("message"));
        Assert.True(await client.WaitClosedAsync());
    }

    [Fact]
    [Trait("Spec", "STOMP-1.2-DISCONNECT")]
    public async Task DisconnectWithReceiptIsAnsweredThenClosed()
    {
        await using var broker = new StompTestBroker();
        await using var client = await broker.ConnectedAsync();
        await client.SendAsync("DISCONNECT", [("receipt", "77")]);
        Assert.Equal("77", (await client.ExpectAsync(StompCommand.Receipt)).Get("receipt-id"));
        Assert.True(await client.WaitClosedAsync());
    }

    private sealed class PasswordAuthorizer(string user, string password) : IBrokerAuthorizer
    {
        public AuthenticationRequest? LastRequest { get; private set; }

        public ValueTask<AuthenticationResult> AuthenticateAsync(AuthenticationRequest request, CancellationToken cancellationToken)
        {
            LastRequest = request;
            var ok = request.UserName == user && System.Text.Encoding.UTF8.GetString(request.Password.Span) == password;
            return ValueTask.FromResult(ok
                ? new AuthenticationResult(AuthenticationOutcome.Accepted, new ClientIdentity(request.Protocol, request.ClientId, request.UserName, request.RemoteAddress))
                : new AuthenticationResult(AuthenticationOutcome.BadCredentials, null));
        }

        public bool CanPublish(ClientIdentity client, string topic) => true;

        public bool CanSubscribe(ClientIdentity client, string topicFilter) => true;

        public bool CanConsume(ClientIdentity client, string destination) => true;
    }
}
