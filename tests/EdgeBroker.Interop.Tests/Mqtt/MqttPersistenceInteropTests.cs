namespace EdgeBroker.Interop.Tests.Mqtt;

using System.Globalization;

/// <summary>
/// Persistent sessions with real clients across a broker kill -9 and restart: every QoS 1 message the publisher
/// got a PUBACK for reaches the persistent subscriber after it reconnects (issue 3 "Done when").
/// </summary>
[Trait("Category", "Interop")]
public sealed class MqttPersistenceInteropTests
{
    private const string Python = "/usr/bin/python3";

    [Theory]
    [InlineData("3")]
    [InlineData("5")]
    public async Task PahoPersistentSessionReceivesQos1PublishedWhileOfflineAcrossKill9(string version)
    {
        await using var broker = new BrokerProcess(["--EdgeBroker:Mqtt:SysIntervalSeconds=0"]);
        await broker.StartAsync();
        var script = Path.Combine(ExternalProcess.RepositoryRoot, "tests", "python", "mqtt", "persistent_session.py");
        var topic = "paho/" + version + "/#";
        var clientId = "paho-device-" + version;

        var subscribed = await ExternalProcess.RunAsync(Python, [script, "127.0.0.1", Port(broker), clientId, version, "subscribe", topic]);
        Assert.Contains("SUBSCRIBED", subscribed);

        var published = await ExternalProcess.RunAsync(Python, [script, "127.0.0.1", Port(broker), "paho-pub-" + version, version, "publish", "5", "paho/" + version + "/data"]);
        Assert.Contains("PUBLISHED 5", published);

        broker.KillHard();
        await broker.StartAsync();

        var received = await ExternalProcess.RunAsync(Python, [script, "127.0.0.1", Port(broker), clientId, version, "receive", "5", topic]);
        Assert.Contains("SESSION_PRESENT 1", received);
        Assert.Equal(["m1", "m2", "m3", "m4", "m5"], received.Where(l => l.StartsWith("MSG ", StringComparison.Ordinal)).Select(l => l.Split(' ')[^1]));
        Assert.Empty(broker.ErrorLines());
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("5")]
    public async Task MosquittoPersistentSessionSurvivesRestart(string version)
    {
        await using var broker = new BrokerProcess(["--EdgeBroker:Mqtt:SysIntervalSeconds=0"]);
        await broker.StartAsync();
        var clientId = "mosq-device-" + (version == "5" ? "5" : "4");
        List<string> session = ["-V", version, "-c", "-i", clientId, "-q", "1", "-t", "persist/#"];
        if (version == "5")
        {
            session.AddRange(["-x", "3600"]);
        }

        await ExternalProcess.RunAsync("mosquitto_sub", [.. session, "-p", Port(broker), "-E"]);
        for (var i = 1; i <= 3; i++)
        {
            await ExternalProcess.RunAsync("mosquitto_pub", ["-V", version, "-p", Port(broker), "-q", "1", "-t", "persist/x", "-m", "offline" + i]);
        }

        broker.KillHard();
        await broker.StartAsync();

        var lines = await ExternalProcess.RunAsync("mosquitto_sub", [.. session, "-p", Port(broker), "-C", "3", "-W", "15", "-F", "MSG|%p"]);
        Assert.Equal(["MSG|offline1", "MSG|offline2", "MSG|offline3"], lines.Where(l => l.StartsWith("MSG|", StringComparison.Ordinal)));
    }

    private static string Port(BrokerProcess broker) => broker.MqttPort.ToString(CultureInfo.InvariantCulture);
}
