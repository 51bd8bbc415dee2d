namespace EdgeBroker.Server.Tests.Security;

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using EdgeBroker.Core.Security;
using EdgeBroker.Server.Cli;
using EdgeBroker.Server.Configuration;
using EdgeBroker.Server.Hosting;
using Microsoft.Extensions.Options;

[Trait("Category", "Integration")]
public sealed class SecurityConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("eb-security-").FullName;

    public void Dispose() => TestBrokerHost.TryDelete(_dir);

    private string UsersFile(params (string User, string Password)[] users)
    {
        var path = Path.Combine(_dir, "users");
        foreach (var (user, password) in users)
        {
            UserFile.SetPassword(path, user, password, iterations: 1000);
        }

        return path;
    }

    private static ValidateOptionsResult Validate(EdgeBrokerOptions options) => new EdgeBrokerOptionsValidator().Validate(null, options);

    [Fact]
    public void AMalformedUsersFileStopsTheBrokerNamingFileAndLine()
    {
        var path = Path.Combine(_dir, "users");
        File.WriteAllText(path, "alice:plaintext\n");

        var result = Validate(new EdgeBrokerOptions { Security = { UsersFile = path } });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("EdgeBroker:Security:UsersFile", StringComparison.Ordinal) && f.Contains("line 1", StringComparison.Ordinal));
    }

    [Fact]
    public void AMalformedAclOrAMissingFileIsReported()
    {
        var acl = Path.Combine(_dir, "acl");
        File.WriteAllText(acl, "topic read a/#/b\n");

        var result = Validate(new EdgeBrokerOptions { Security = { AclFile = acl, UsersFile = Path.Combine(_dir, "missing") } });

        Assert.Contains(result.Failures!, f => f.StartsWith("EdgeBroker:Security:AclFile", StringComparison.Ordinal) && f.Contains("line 1", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("EdgeBroker:Security:UsersFile", StringComparison.Ordinal) && f.Contains("cannot be read", StringComparison.Ordinal));
    }

    [Fact]
    public void AdminUsersMustExistInTheUsersFile()
    {
        var options = new EdgeBrokerOptions { Security = { UsersFile = UsersFile(("alice", "pw")) } };
        options.Security.AdminUsers.Add("root");

        var result = Validate(options);

        Assert.Contains(result.Failures!, f => f.Contains("'root' is not in the users file", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("127.0.0.1", null, true)]
    [InlineData("localhost", null, true)]
    [InlineData("::1", null, true)]
    [InlineData("0.0.0.0", null, false)]
    [InlineData("0.0.0.0", true, true)]
    [InlineData("127.0.0.1", false, false)]
    public void AnonymousIsAllowedOnlyOnLoopbackUnlessConfigured(string bind, bool? configured, bool expected)
    {
        var options = new EdgeBrokerOptions { Http = { BindAddress = bind }, Security = { AllowAnonymous = configured } };

        Assert.Equal(expected, SecurityComposition.AllowsAnonymous(options));
    }

    [Fact]
    public async Task RemoteHttpCallersMustSignInAsAnAdminWhenHttpIsNotOnLoopback()
    {
        var users = UsersFile(("admin", "s3cret"), ("alice", "pw"));
        await using var host = await TestBrokerHost.StartRealAsync(
            Path.Combine(_dir, "data"),
            "--EdgeBroker:Http:BindAddress=0.0.0.0",
            "--EdgeBroker:Security:UsersFile=" + users,
            "--EdgeBroker:Security:AdminUsers:0=admin");

        // TestServer requests carry no remote address, i.e. they are not from loopback.
        var anonymous = await host.Client.GetAsync("/api/overview");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("Basic", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);

        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(host, "/api/overview", "alice", "pw")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(host, "/metrics", "admin", "wrong")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Get(host, "/api/overview", "admin", "s3cret")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Get(host, "/metrics", "admin", "s3cret")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task OnLoopbackTheHttpApiNeedsNoLogin()
    {
        await using var host = await TestBrokerHost.StartRealAsync(Path.Combine(_dir, "data"));

        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/api/overview")).StatusCode);
    }

    [Fact]
    public void PasswdCommandAddsAUserFromStandardInput()
    {
        var path = Path.Combine(_dir, "users");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = PasswdCommand.Run([path, "carol"], new StringReader("tr0ub4dor\n"), output, error, inputRedirected: true);

        Assert.Equal(0, exit);
        Assert.True(PasswordHasher.Verify(UserFile.Load(path)["carol"], "tr0ub4dor"u8));
        Assert.DoesNotContain("tr0ub4dor", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "only-one-arg" }, "", 1)]
    [InlineData(new[] { "FILE", "bad/name" }, "pw\n", 1)]
    [InlineData(new[] { "FILE", "dave" }, "\n", 1)]
    public void PasswdCommandRefusesBadUsage(string[] args, string input, int expectedExit)
    {
        var resolved = args.Select(a => a == "FILE" ? Path.Combine(_dir, "users") : a).ToArray();
        using var error = new StringWriter();

        Assert.Equal(expectedExit, PasswdCommand.Run(resolved, new StringReader(input), TextWriter.Null, error, inputRedirected: true));
        Assert.NotEmpty(error.ToString());
        Assert.False(File.Exists(Path.Combine(_dir, "users")));
    }

    private static async Task<HttpResponseMessage> Get(TestBrokerHost host, string path, string user, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));
        return await host.Client.SendAsync(request);
    }
}
