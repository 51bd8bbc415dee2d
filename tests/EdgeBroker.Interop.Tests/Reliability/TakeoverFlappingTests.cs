namespace EdgeBroker.Interop.Tests.Reliability;

using System.Diagnostics;
using System.Globalization;
using EdgeBroker.Interop.Tests.Mqtt;

/// <summary>
/// Fault F18 (takeover flapping) against the real broker process: two shell loops keep starting mosquitto_sub with
/// the same client id, so each connect takes the session over from the other. Every takeover is announced with
/// DISCONNECT 0x8E ([MQTT-3.1.4-3]); once the id connects more than <c>Mqtt:FlappingMaxConnects</c> times in the
/// window it is refused with CONNACK 0x9F; and when both loops end no connection or session is left behind.
/// </summary>
[Trait("Category", "Interop")]
public sealed class TakeoverFlappingTests
{
    [Fact]
    public async Task TwoProcessesSharingAClientIdAreToldOfEachTakeoverThenBannedAndLeaveNothingBehind()
    {
        await using var broker = new BrokerProcess(["--EdgeBroker:Mqtt:FlappingMaxConnects=6", "--EdgeBroker:Mqtt:SysIntervalSeconds=0"]);
        await broker.StartAsync();
        var loop = $"for i in $(seq 1 12); do stdbuf -oL mosquitto_sub -V 5 -p {broker.MqttPort.ToString(CultureInfo.InvariantCulture)} -i twin -t flap -d -W 2; echo exit=$?; done";
        await using var first = ExternalProcess.Start("bash", ["-c", loop]);
        await using var second = ExternalProcess.Start("bash", ["-c", loop]);
        Assert.Equal(0, await first.WaitForExitAsync(120_000));
        Assert.Equal(0, await second.WaitForExitAsync(120_000));
        var lines = first.Lines.Concat(second.Lines).ToList();

        Assert.Contains(lines, l => l.Contains("Received DISCONNECT (142)", StringComparison.Ordinal)); // 0x8E Session taken over
        Assert.Contains(lines, l => l.Contains("received CONNACK (159)", StringComparison.Ordinal)); // 0x9F Connection rate exceeded

        using var http = new HttpClient { BaseAddress = broker.BaseAddress };
        var clock = Stopwatch.StartNew();
        string metrics;
        while (!(metrics = await http.GetStringAsync("metrics")).Contains("edgebroker_listener_connections{protocol=\"mqtt\"} 0", StringComparison.Ordinal)
            || !metrics.Contains("edgebroker_connections{protocol=\"mqtt\"} 0", StringComparison.Ordinal))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), "connections left behind:\n" + metrics);
            await Task.Delay(100); // poll interval
        }

        Assert.Empty(broker.ErrorLines());
    }
}
