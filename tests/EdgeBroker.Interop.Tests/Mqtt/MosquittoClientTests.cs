namespace EdgeBroker.Interop.Tests.Mqtt;

using System.Globalization;

/// <summary>
/// mosquitto_pub / mosquitto_sub (Debian mosquitto-clients) against the real broker process, MQTT 3.1.1 and 5.
/// Each test uses its own topics; subscribers print <c>MSG|topic|payload|retain|qos</c> and the test asserts the
/// payloads. Subscriptions are known to be active once <c>-d</c> prints the SUBACK line.
/// </summary>
[Trait("Category", "Interop")]
public sealed class MosquittoClientTests(MqttBrokerFixture fixture) : IClassFixture<MqttBrokerFixture>
{
    private string Port => fixture.Broker.MqttPort.ToString(CultureInfo.InvariantCulture);

    public static TheoryData<string, int> VersionsAndQos => new()
    {
        { "mqttv311", 0 }, { "mqttv311", 1 }, { "mqttv311", 2 },
        { "5", 0 }, { "5", 1 }, { "5", 2 },
    };

    [Theory]
    [MemberData(nameof(VersionsAndQos))]
    public async Task PublishReachesSubscriberAtEachQos(string version, int qos)
    {
        var topic = $"mosq/{version}/{qos}";
        await using var sub = await SubscribeAsync(version, qos, [topic], count: 2);
        await PublishAsync(version, qos, topic, "first");
        await PublishAsync(version, qos, topic, "second");
        Assert.Equal(0, await sub.WaitForExitAsync(15_000));
        Assert.Equal([$"MSG|{topic}|first|0|{qos}", $"MSG|{topic}|second|0|{qos}"], Messages(sub));
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("5")]
    public async Task RetainedMessageReachesLateSubscriber(string version)
    {
        var topic = $"mosq/retained/{version}";
        await ExternalProcess.RunAsync("mosquitto_pub", ["-V", version, "-p", Port, "-t", topic, "-m", "last-known", "-q", "1", "-r"]);
        await using var sub = await SubscribeAsync(version, 1, [topic], count: 1);
        Assert.Equal(0, await sub.WaitForExitAsync(15_000));
        Assert.Equal([$"MSG|{topic}|last-known|1|1"], Messages(sub));
        await ExternalProcess.RunAsync("mosquitto_pub", ["-V", version, "-p", Port, "-t", topic, "-n", "-q", "1", "-r"]);
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("5")]
    public async Task WildcardFiltersMatchOnlyTheirTopics(string version)
    {
        var root = $"mosq/wild/{version}";
        await using var sub = await SubscribeAsync(version, 1, [root + "/+/temp", root + "/b/#"], count: 3);
        await PublishAsync(version, 1, root + "/a/temp", "a-temp");
        await PublishAsync(version, 1, root + "/a/hum", "a-hum");
        await PublishAsync(version, 1, root + "/b/x/y", "b-deep");
        await PublishAsync(version, 1, root + "/c/temp", "c-temp");
        Assert.Equal(0, await sub.WaitForExitAsync(15_000));
        Assert.Equal(["a-temp", "b-deep", "c-temp"], Messages(sub).Select(m => m.Split('|')[2]));
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("5")]
    public async Task SharedSubscriptionDeliversEachMessageToOneMember(string version)
    {
        var topic = $"mosq/share/{version}";
        var filter = $"$share/workers/{topic}";
        await using var a = await SubscribeAsync(version, 1, [filter], count: 100, timeoutSeconds: 6);
        await using var b = await SubscribeAsync(version, 1, [filter], count: 100, timeoutSeconds: 6);
        for (var i = 1; i <= 6; i++)
        {
            await PublishAsync(version, 1, topic, "job" + i);
        }

        await a.WaitForExitAsync(20_000);
        await b.WaitForExitAsync(20_000);
        var all = Messages(a).Concat(Messages(b)).Select(m => m.Split('|')[2]).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 6).Select(i => "job" + i).Order(), all);
    }

    [Fact]
    public async Task WillIsPublishedWhenClientDiesWithoutDisconnect()
    {
        var topic = "mosq/will/status";
        await using var watcher = await SubscribeAsync("5", 1, [topic], count: 1);
        await using var dying = await SubscribeAsync("mqttv311", 0, ["mosq/will/unused"], count: 1, extra: ["--will-topic", topic, "--will-payload", "offline", "--will-qos", "1", "-i", "dying-client"]);
        dying.Kill(); // SIGKILL: the socket closes without DISCONNECT
        Assert.Equal(0, await watcher.WaitForExitAsync(15_000));
        Assert.Equal([$"MSG|{topic}|offline|0|1"], Messages(watcher));
    }

    internal async Task<ExternalProcess> SubscribeAsync(string version, int qos, IEnumerable<string> filters, int count, int timeoutSeconds = 15, IEnumerable<string>? extra = null)
    {
        List<string> args = ["-V", version, "-p", Port, "-q", qos.ToString(CultureInfo.InvariantCulture), "-C", count.ToString(CultureInfo.InvariantCulture), "-W", timeoutSeconds.ToString(CultureInfo.InvariantCulture), "-d", "-F", "MSG|%t|%p|%r|%q"];
        foreach (var filter in filters)
        {
            args.Add("-t");
            args.Add(filter);
        }

        args.AddRange(extra ?? []);

        // stdbuf: with stdout on a pipe mosquitto_sub's debug lines are block-buffered, so the SUBACK line would only
        // show up when it exits; line buffering makes "subscribed" observable while it runs.
        var sub = ExternalProcess.Start("stdbuf", ["-oL", "mosquitto_sub", .. args]);
        await sub.WaitForLineAsync("SUBACK");
        return sub;
    }

    internal Task PublishAsync(string version, int qos, string topic, string payload) =>
        ExternalProcess.RunAsync("mosquitto_pub", ["-V", version, "-p", Port, "-q", qos.ToString(CultureInfo.InvariantCulture), "-t", topic, "-m", payload]);

    internal static List<string> Messages(ExternalProcess process) => [.. process.Lines.Where(l => l.StartsWith("MSG|", StringComparison.Ordinal))];
}
