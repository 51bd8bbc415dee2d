namespace EdgeBroker.Interop.Tests.Mqtt;

using System.Globalization;
using System.Text.Json;

/// <summary>
/// Device presence through <c>$SYS/clients/&lt;id&gt;/…</c>: a mosquitto_sub watcher sees a device (mosquitto_pub)
/// come online and go offline, as a retained state plus connect/disconnect events, and a late subscriber gets
/// the retained last state.
/// </summary>
[Trait("Category", "Interop")]
public sealed class PresenceInteropTests(MqttBrokerFixture fixture) : IClassFixture<MqttBrokerFixture>
{
    private string Port => fixture.Broker.MqttPort.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task ConnectAndDisconnectArePublishedAsPresence()
    {
        var watcher = ExternalProcess.Start("stdbuf", ["-oL", "mosquitto_sub", "-V", "5", "-p", Port, "-q", "1", "-C", "4", "-W", "20", "-d", "-t", "$SYS/clients/presence-dev/#", "-F", "MSG|%t|%p"]);
        await using (watcher)
        {
            await watcher.WaitForLineAsync("SUBACK");
            await ExternalProcess.RunAsync("mosquitto_pub", ["-V", "mqttv311", "-p", Port, "-i", "presence-dev", "-t", "presence/any", "-m", "x"]);
            Assert.Equal(0, await watcher.WaitForExitAsync(20_000));

            var events = MosquittoClientTests.Messages(watcher).Select(line => line.Split('|', 3)).ToList();
            Assert.Equal(
                ["$SYS/clients/presence-dev/presence", "$SYS/clients/presence-dev/connected", "$SYS/clients/presence-dev/presence", "$SYS/clients/presence-dev/disconnected"],
                events.Select(e => e[1]));
            var states = events.Select(e => JsonDocument.Parse(e[2]).RootElement).ToList();
            Assert.Equal(["online", "online", "offline", "offline"], states.Select(s => s.GetProperty("state").GetString()));
            Assert.All(states, s => Assert.Equal("mqtt", s.GetProperty("protocol").GetString()));
            Assert.All(states, s => Assert.StartsWith("127.0.0.1", s.GetProperty("address").GetString(), StringComparison.Ordinal));
        }

        var late = await ExternalProcess.RunAsync("mosquitto_sub", ["-V", "5", "-p", Port, "-C", "1", "-W", "10", "-t", "$SYS/clients/presence-dev/presence", "-F", "%r|%p"]);
        var retained = Assert.Single(late).Split('|', 2);
        Assert.Equal("1", retained[0]);
        Assert.Equal("offline", JsonDocument.Parse(retained[1]).RootElement.GetProperty("state").GetString());
    }
}
