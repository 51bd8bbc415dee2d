namespace EdgeBroker.Server.Tests.Security;

using System.Net;
using System.Net.WebSockets;
using EdgeBroker.Server.Configuration;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The WebSocket Origin allow-list (EdgeBroker:WebSockets:AllowedOrigins) on the real host: cross-site pages are
/// refused with 403 on /mqtt, /stomp and /hubs; no Origin, the broker's own origin and (by default) loopback
/// pages are allowed; a configured list replaces the loopback default; '*' allows all.
/// </summary>
[Trait("Category", "Integration")]
public sealed class WebSocketOriginTests
{
    private static HttpRequestMessage Upgrade(string path, string? origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.ParseAdd("websocket");
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return request;
    }

    private static async Task<bool> OpensMqttWebSocketAsync(TestBrokerHost host, string? origin, string? hostHeader = null)
    {
        var server = (TestServer)host.Services.GetRequiredService<IServer>();
        var client = server.CreateWebSocketClient();
        client.SubProtocols.Add("mqtt");
        client.ConfigureRequest = request =>
        {
            if (origin is not null)
            {
                request.Headers.Origin = origin;
            }

            if (hostHeader is not null)
            {
                request.Host = new HostString(hostHeader);
            }
        };
        try
        {
            using var socket = await client.ConnectAsync(new Uri(server.BaseAddress, "mqtt"), CancellationToken.None);
            return socket.State == WebSocketState.Open;
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains("403", StringComparison.Ordinal))
        {
            return false;
        }
    }

    [Theory]
    [InlineData("/mqtt")]
    [InlineData("/stomp")]
    [InlineData("/hubs/broker")]
    public async Task ACrossSiteOriginGetsAProblem403OnEveryWebSocketPath(string path)
    {
        await using var host = await TestBrokerHost.StartAsync();

        using var response = await host.Client.SendAsync(Upgrade(path, "https://evil.example"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task TheHubsNegotiateRequestFollowsTheSameRule()
    {
        await using var host = await TestBrokerHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hubs/broker/negotiate?negotiateVersion=1");
        request.Headers.Add("Origin", "https://evil.example");

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task NoOriginSameOriginAndLoopbackPagesAreAllowedByDefault()
    {
        await using var host = await TestBrokerHost.StartAsync();

        Assert.True(await OpensMqttWebSocketAsync(host, origin: null));
        Assert.True(await OpensMqttWebSocketAsync(host, "http://broker.example:8080", hostHeader: "broker.example:8080"));
        Assert.True(await OpensMqttWebSocketAsync(host, "http://localhost:5173"));
        Assert.True(await OpensMqttWebSocketAsync(host, "http://127.0.0.1:3000"));
        Assert.False(await OpensMqttWebSocketAsync(host, "http://broker.example.evil:8080", hostHeader: "broker.example:8080"));
        Assert.False(await OpensMqttWebSocketAsync(host, "null"));
    }

    [Fact]
    public async Task AConfiguredListReplacesTheLoopbackDefault()
    {
        await using var host = await TestBrokerHost.StartAsync("--EdgeBroker:WebSockets:AllowedOrigins:0=https://App.Example.com:443/");

        Assert.True(await OpensMqttWebSocketAsync(host, "https://app.example.com"));
        Assert.False(await OpensMqttWebSocketAsync(host, "http://app.example.com"));
        Assert.False(await OpensMqttWebSocketAsync(host, "http://localhost:5173"));
    }

    [Fact]
    public async Task AStarAllowsEveryOrigin()
    {
        await using var host = await TestBrokerHost.StartAsync("--EdgeBroker:WebSockets:AllowedOrigins:0=*");

        Assert.True(await OpensMqttWebSocketAsync(host, "https://anything.example"));
    }

    [Fact]
    public async Task OtherHttpRequestsAreNotConcerned()
    {
        await using var host = await TestBrokerHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.Add("Origin", "https://evil.example");

        using var response = await host.Client.SendAsync(request);

        Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("https://app.example.com/path")]
    [InlineData("ftp://app.example.com")]
    [InlineData("app.example.com")]
    public void AnEntryThatIsNotAnOriginIsReportedAtStart(string entry)
    {
        var options = new EdgeBrokerOptions();
        options.WebSockets.AllowedOrigins.Add(entry);

        var result = new EdgeBrokerOptionsValidator().Validate(null, options);

        Assert.Contains(result.Failures!, f => f.StartsWith("EdgeBroker:WebSockets:AllowedOrigins:0", StringComparison.Ordinal));
    }
}
