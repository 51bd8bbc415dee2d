namespace EdgeBroker.Interop.Tests.Mqtt;

using System.Globalization;
using System.Text.Json;

/// <summary>MQTT.js (tests/node) under node, over TCP and over WebSocket at /mqtt, MQTT 3.1.1 and 5.</summary>
[Trait("Category", "Interop")]
public sealed class MqttJsClientTests(MqttBrokerFixture fixture) : IClassFixture<MqttBrokerFixture>
{
    [Theory]
    [InlineData("tcp", "4")]
    [InlineData("tcp", "5")]
    [InlineData("ws", "4")]
    [InlineData("ws", "5")]
    public async Task PublishesAndReceivesQos1(string transport, string version)
    {
        var broker = fixture.Broker;
        var url = transport == "tcp"
            ? $"mqtt://127.0.0.1:{broker.MqttPort.ToString(CultureInfo.InvariantCulture)}"
            : $"ws://127.0.0.1:{broker.HttpPort.ToString(CultureInfo.InvariantCulture)}/mqtt";
        var script = Path.Combine(ExternalProcess.RepositoryRoot, "tests", "node", "mqtt", "pubsub.js");
        var topic = $"js/{transport}/{version}";
        var lines = await ExternalProcess.RunAsync("node", [script, url, version, "5", topic]);
        using var result = JsonDocument.Parse(lines.Single(l => l.StartsWith('{')));
        var payloads = result.RootElement.GetProperty("received").EnumerateArray().Select(m => m.GetProperty("payload").GetString()).ToList();
        Assert.Equal(["m1", "m2", "m3", "m4", "m5"], payloads);
        Assert.Equal(5, result.RootElement.GetProperty("acked").GetInt32());
    }
}
