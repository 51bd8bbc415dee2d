namespace EdgeBroker.Interop.Tests.SignalR;

using System.Globalization;
using System.Text.Json;
using EdgeBroker.Core.Security;
using EdgeBroker.Interop.Tests.Mqtt;

/// <summary>
/// <c>@microsoft/signalr</c> under node (tests/node/signalr/hub.js) against the real broker's hub at /hubs/broker:
/// WebSockets without negotiation, negotiated WebSockets and long polling; messages crossing MQTT (mosquitto) and
/// the hub both ways; stream history; and refusal without credentials when anonymous access is off.
/// </summary>
[Trait("Category", "Interop")]
public sealed class SignalRHubInteropTests(SignalRBrokerFixture fixture) : IClassFixture<SignalRBrokerFixture>
{
    private static readonly string Script = Path.Combine(ExternalProcess.RepositoryRoot, "tests", "node", "signalr", "hub.js");

    private string Port => fixture.Broker.MqttPort.ToString(CultureInfo.InvariantCulture);

    private static string HubUrl(BrokerProcess broker) => new Uri(broker.BaseAddress, "hubs/broker").ToString();

    private static JsonElement Json(string line)
    {
        using var document = JsonDocument.Parse(line);
        return document.RootElement.Clone();
    }

    [Theory]
    [InlineData("ws-skip")]
    [InlineData("ws")]
    [InlineData("longpolling")]
    public async Task MosquittoPublishReachesAHubSubscriberWithItsOriginProtocol(string transport)
    {
        var topic = $"it/{transport}/temp";
        await using var subscriber = ExternalProcess.Start("node", [Script, "subscribe", HubUrl(fixture.Broker), $"it/{transport}/#", "1", "--transport", transport]);
        await subscriber.WaitForLineAsync("\"ready\":true");

        await ExternalProcess.RunAsync("mosquitto_pub", ["-V", "mqttv5", "-p", Port, "-q", "1", "-t", topic, "-m", "21.5", "-D", "publish", "user-property", "unit", "C"]);

        Assert.Equal(0, await subscriber.WaitForExitAsync(20_000));
        var message = Json(subscriber.Lines.Single(l => l.Contains("\"message\"", StringComparison.Ordinal))).GetProperty("message");
        Assert.Equal(topic, message.GetProperty("topic").GetString());
        Assert.Equal("21.5", message.GetProperty("payload").GetString());
        Assert.Equal("text", message.GetProperty("encoding").GetString());
        Assert.Equal("mqtt", message.GetProperty("protocol").GetString());
        Assert.Equal("C", message.GetProperty("headers").GetProperty("unit").GetString());
        Assert.Equal(1, message.GetProperty("qos").GetInt32());
        Assert.False(message.GetProperty("retained").GetBoolean());
    }

    [Fact]
    public async Task HubPublishReachesAMosquittoSubscriber()
    {
        await using var subscriber = ExternalProcess.Start("stdbuf", ["-oL", "mosquitto_sub", "-d", "-V", "mqttv311", "-p", Port, "-q", "1", "-t", "it/hub2mqtt/#", "-C", "1", "-F", "MSG|%t|%p"]);
        await subscriber.WaitForLineAsync("SUBACK");

        var lines = await ExternalProcess.RunAsync("node", [Script, "publish", HubUrl(fixture.Broker), "it/hub2mqtt/a", "from the hub", "1"]);
        Assert.Equal("Accepted", Json(lines.Single(l => l.StartsWith('{'))).GetProperty("outcome").GetString());

        Assert.Equal(0, await subscriber.WaitForExitAsync(20_000));
        Assert.Contains("MSG|it/hub2mqtt/a|from the hub", subscriber.Lines);
    }

    [Fact]
    public async Task ReadStreamReturnsTheHistoryOfAConfiguredStream()
    {
        for (var i = 1; i <= 3; i++)
        {
            await ExternalProcess.RunAsync("mosquitto_pub", ["-p", Port, "-q", "1", "-t", "sensors/history/" + i, "-m", "v" + i]);
        }

        var lines = await ExternalProcess.RunAsync("node", [Script, "read", HubUrl(fixture.Broker), "tele", "1000", "--transport", "ws"]);
        var records = Json(lines.Single(l => l.StartsWith('{'))).GetProperty("records").EnumerateArray()
            .Where(r => r.GetProperty("topic").GetString()!.StartsWith("sensors/history/", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(["v1", "v2", "v3"], records.Select(r => r.GetProperty("payload").GetString()));
        Assert.All(records, r => Assert.Equal("tele", r.GetProperty("stream").GetString()));
        Assert.Equal(records.Select(r => r.GetProperty("offset").GetInt64()).Order(), records.Select(r => r.GetProperty("offset").GetInt64()));
    }

    [Fact]
    public async Task TheClientsApiListsAnMqttClientAndAnOperatorCanDisconnectIt()
    {
        await using var subscriber = ExternalProcess.Start("stdbuf", ["-oL", "mosquitto_sub", "-d", "-V", "mqttv5", "-p", Port, "-i", "it-listed", "-t", "it/listed/#"]);
        await subscriber.WaitForLineAsync("SUBACK");
        using var http = new HttpClient { BaseAddress = fixture.Broker.BaseAddress };
        using (var clients = JsonDocument.Parse(await http.GetStringAsync(new Uri("api/clients", UriKind.Relative))))
        {
            var listed = Assert.Single(clients.RootElement.EnumerateArray(), c => c.GetProperty("clientId").GetString() == "it-listed");
            Assert.Equal("mqtt", listed.GetProperty("protocol").GetString());
            Assert.Equal(1, listed.GetProperty("subscriptions").GetInt32());
        }

        using var deleted = await http.DeleteAsync(new Uri("api/clients/mqtt/it-listed", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.NoContent, deleted.StatusCode);
        await subscriber.WaitForExitAsync(15_000);
        Assert.Contains(subscriber.Lines, l => l.Contains("DISCONNECT", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutAnonymousAccessTheHubRefusesMissingOrWrongCredentials()
    {
        var directory = Directory.CreateTempSubdirectory("eb-hub-users-");
        try
        {
            var users = Path.Combine(directory.FullName, "users");
            UserFile.SetPassword(users, "alice", "s3cret", iterations: 1000);
            await using var broker = new BrokerProcess(["--EdgeBroker:Mqtt:SysIntervalSeconds=0", "--EdgeBroker:Security:AllowAnonymous=false", "--EdgeBroker:Security:UsersFile=" + users]);
            await broker.StartAsync();
            var url = HubUrl(broker);
            using (var http = new HttpClient())
            {
                // Every hub request (negotiate, WebSocket upgrade, polls) passes the same gate first.
                using var plain = await http.GetAsync(new Uri(url + "?id=x"));
                Assert.Equal(System.Net.HttpStatusCode.Unauthorized, plain.StatusCode);
                Assert.Contains("Basic", plain.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            }

            foreach (var transport in new[] { "ws-skip", "ws" })
            {
                // Negotiation reports the 401; a WebSocket without negotiation only learns that the upgrade failed.
                var refusal = transport == "ws" ? "Status code '401'" : "WebSocket failed to connect";
                var anonymous = await ConnectAsync(url, transport, null);
                Assert.Contains(refusal, anonymous.GetProperty("error").GetString(), StringComparison.Ordinal);
                var wrong = await ConnectAsync(url, transport, "alice:wrong");
                Assert.Contains(refusal, wrong.GetProperty("error").GetString(), StringComparison.Ordinal);
                var alice = await ConnectAsync(url, transport, "alice:s3cret");
                Assert.True(alice.TryGetProperty("connected", out var connected) && connected.GetBoolean(), alice.ToString());
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<JsonElement> ConnectAsync(string url, string transport, string? credentials)
    {
        string[] auth = credentials is null ? [] : ["--auth", credentials];
        var lines = await ExternalProcess.RunAsync("node", [Script, "connect", url, "--transport", transport, .. auth]);
        return Json(lines.Single(l => l.StartsWith('{')));
    }
}
