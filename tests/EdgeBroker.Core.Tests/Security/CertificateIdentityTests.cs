namespace EdgeBroker.Core.Tests.Security;

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Security;

/// <summary>A verified TLS client certificate's name as the user name (Mosquitto's use_identity_as_username).</summary>
[Trait("Category", "Unit")]
public sealed class CertificateIdentityTests
{
    private static readonly IReadOnlyDictionary<string, PasswordHash> Users = UserFile.Parse("alice:" + PasswordHasher.Hash("wonderland", 1000) + "\n");

    private static AuthenticationRequest Request(string? user, string? certificateName) =>
        new(ProtocolKind.Mqtt, "c1", user, ReadOnlyMemory<byte>.Empty, "10.0.0.9", certificateName);

    [Fact]
    public async Task TheCertificateNameBecomesTheUserNameWithoutAPassword()
    {
        var authorizer = new FileAuthorizer(new SecurityPolicy(Users, null, AllowAnonymous: false, UseCertificateAsUserName: true));

        var result = await authorizer.AuthenticateAsync(Request("alice", "device-7"), CancellationToken.None);

        Assert.Equal(AuthenticationOutcome.Accepted, result.Outcome);
        Assert.Equal("device-7", result.Identity!.UserName);
    }

    [Fact]
    public async Task TheCertificateNameIsIgnoredUnlessTheMappingIsOn()
    {
        var authorizer = new FileAuthorizer(new SecurityPolicy(Users, null, AllowAnonymous: false));

        var result = await authorizer.AuthenticateAsync(Request(null, "device-7"), CancellationToken.None);

        Assert.Equal(AuthenticationOutcome.NotAuthorized, result.Outcome);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("dev+")]
    [InlineData("#")]
    public async Task ANameThatWouldWidenAclPatternsIsRefused(string commonName)
    {
        var authorizer = new FileAuthorizer(new SecurityPolicy(Users, null, AllowAnonymous: true, UseCertificateAsUserName: true));

        var result = await authorizer.AuthenticateAsync(Request(null, commonName), CancellationToken.None);

        Assert.Equal(AuthenticationOutcome.NotAuthorized, result.Outcome);
    }

    [Fact]
    public async Task WithoutACertificatePasswordsStillWork()
    {
        var authorizer = new FileAuthorizer(new SecurityPolicy(Users, null, AllowAnonymous: false, UseCertificateAsUserName: true));
        var request = new AuthenticationRequest(ProtocolKind.Stomp, "c1", "alice", "wonderland"u8.ToArray(), null);

        Assert.True((await authorizer.AuthenticateAsync(request, CancellationToken.None)).Succeeded);
    }

    [Fact]
    public void TheUserNameIsTheSubjectCommonName()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=sensor-12, O=Plant 7", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        Assert.Equal("sensor-12", CertificateNames.UserName(certificate));
        Assert.Null(CertificateNames.UserName(null));
    }
}
