namespace EdgeBroker.Core.Tests.Security;

using System.Text;
using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Security;

[Trait("Category", "Unit")]
public sealed class FileAuthorizerTests
{
    private static readonly IReadOnlyDictionary<string, PasswordHash> Users = UserFile.Parse("alice:" + PasswordHasher.Hash("wonderland", 1000) + "\n");

    private static AuthenticationRequest Request(string? user, string password = "") =>
        new(ProtocolKind.Mqtt, "c1", user, Encoding.UTF8.GetBytes(password), "10.0.0.9");

    [Fact]
    public async Task AcceptsTheRightPasswordAndNamesTheIdentity()
    {
        var authorizer = new FileAuthorizer(new SecurityPolicy(Users, null, AllowAnonymous: false));

        var result = await authorizer.AuthenticateAsync(Request("alice", "wonderland"), CancellationToken.None);

        Assert.Equal(AuthenticationOutcome.Accepted, result.Outcome);
        Assert.Equal(new ClientIdentity(ProtocolKind.Mqtt, "c1", "alice", "10.0.0.9"), result.Identity);
    }

    [Theory]
    [InlineData("alice", "Wonderland")]
    [InlineData("alice", "")]
    [InlineData("mallory", "wonderland")]
    public async Task RefusesWrongPasswordsAndUnknownUsersAlike(string user, string password)
    {
        var authorizer = new FileAuthorizer(new SecurityPolicy(Users, null, AllowAnonymous: true));

        var result = await authorizer.AuthenticateAsync(Request(user, password), CancellationToken.None);

        Assert.Equal(AuthenticationOutcome.BadCredentials, result.Outcome);
        Assert.Null(result.Identity);
    }

    [Fact]
    public async Task AnIpThatKeepsGuessingIsBannedEvenForTheRightPasswordWhileOthersAreNot()
    {
        var authorizer = new FileAuthorizer(new SecurityPolicy(Users, null, AllowAnonymous: false), new FlappingDetector(2, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)));
        AuthenticationRequest From(string address, string password) => new(ProtocolKind.Mqtt, "c1", "alice", Encoding.UTF8.GetBytes(password), address);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(AuthenticationOutcome.BadCredentials, (await authorizer.AuthenticateAsync(From("203.0.113.7:4000", "guess" + i), CancellationToken.None)).Outcome);
        }

        // Banned: same answer as a wrong password, without the check, even for the right one.
        Assert.Equal(AuthenticationOutcome.BadCredentials, (await authorizer.AuthenticateAsync(From("203.0.113.7:4001", "wonderland"), CancellationToken.None)).Outcome);
        Assert.True((await authorizer.AuthenticateAsync(From("198.51.100.2:5000", "wonderland"), CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task LoopbackIsNeverBannedForGuessing()
    {
        var authorizer = new FileAuthorizer(new SecurityPolicy(Users, null, AllowAnonymous: false), new FlappingDetector(1, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)));
        AuthenticationRequest From(string address, string password) => new(ProtocolKind.Mqtt, "c1", "alice", Encoding.UTF8.GetBytes(password), address);

        for (var i = 0; i < 3; i++)
        {
            Assert.False((await authorizer.AuthenticateAsync(From("127.0.0.1:4000", "guess"), CancellationToken.None)).Succeeded);
            Assert.False((await authorizer.AuthenticateAsync(From("[::1]:4000", "guess"), CancellationToken.None)).Succeeded);
        }

        Assert.True((await authorizer.AuthenticateAsync(From("127.0.0.1:4000", "wonderland"), CancellationToken.None)).Succeeded);
        Assert.True((await authorizer.AuthenticateAsync(From("[::1]:4000", "wonderland"), CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task AVerifiedPasswordIsRememberedButAChangedOneIsNot()
    {
        var authorizer = new FileAuthorizer(new SecurityPolicy(Users, null, AllowAnonymous: false));

        Assert.True((await authorizer.AuthenticateAsync(Request("alice", "wonderland"), CancellationToken.None)).Succeeded);
        Assert.True((await authorizer.AuthenticateAsync(Request("alice", "wonderland"), CancellationToken.None)).Succeeded);
        Assert.False((await authorizer.AuthenticateAsync(Request("alice", "wonderlan"), CancellationToken.None)).Succeeded);
    }

    [Theory]
    [InlineData(true, AuthenticationOutcome.Accepted)]
    [InlineData(false, AuthenticationOutcome.NotAuthorized)]
    public async Task AnonymousClientsFollowThePolicy(bool allowAnonymous, AuthenticationOutcome expected)
    {
        var authorizer = new FileAuthorizer(new SecurityPolicy(Users, null, allowAnonymous));

        Assert.Equal(expected, (await authorizer.AuthenticateAsync(Request(null), CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task WithoutAPasswordFileANamedClientIsOnlyLetInWhereAnonymousIsAllowed()
    {
        var open = new FileAuthorizer(new SecurityPolicy(null, null, AllowAnonymous: true));
        var closed = new FileAuthorizer(new SecurityPolicy(null, null, AllowAnonymous: false));

        Assert.True((await open.AuthenticateAsync(Request("anyone", "x"), CancellationToken.None)).Succeeded);
        Assert.Equal(AuthenticationOutcome.BadCredentials, (await closed.AuthenticateAsync(Request("anyone", "x"), CancellationToken.None)).Outcome);
    }

    [Fact]
    public void WithoutAnAclEveryAuthenticatedClientMayDoEverything()
    {
        var authorizer = new FileAuthorizer(new SecurityPolicy(Users, null, AllowAnonymous: false));
        var alice = new ClientIdentity(ProtocolKind.Stomp, "c", "alice", null);

        Assert.True(authorizer.CanPublish(alice, "any/topic"));
        Assert.True(authorizer.CanSubscribe(alice, "#"));
        Assert.True(authorizer.CanConsume(alice, "orders"));
        Assert.True(authorizer.CanReadStream(alice, "telemetry"));
    }

    [Fact]
    public void WithAnAclQueueSendsAndStreamReadsUseTheirOwnRules()
    {
        var acl = AclFile.Parse("user alice\nqueue write orders\nstream read telemetry\n");
        IBrokerAuthorizer authorizer = new FileAuthorizer(new SecurityPolicy(Users, acl, AllowAnonymous: false));
        var alice = new ClientIdentity(ProtocolKind.Stomp, "c", "alice", null);

        Assert.True(authorizer.CanPublishToQueue(alice, "orders"));
        Assert.False(authorizer.CanConsume(alice, "orders"));
        Assert.False(authorizer.CanPublish(alice, "orders"));
        Assert.True(authorizer.CanReadStream(alice, "telemetry"));
    }
}
