namespace EdgeBroker.Interop.Tests.Reliability;

using System.Globalization;
using System.Text.RegularExpressions;
using EdgeBroker.Interop.Tests.Faults;
using EdgeBroker.Interop.Tests.Load;
using EdgeBroker.Interop.Tests.Mqtt;
using Xunit.Abstractions;

/// <summary>
/// Fault F15 (global memory pressure) against the real broker process: a subscriber that stops reading makes the
/// broker buffer live messages for it until managed memory passes a 32 MiB watermark; the memory alarm then holds
/// the mosquitto_pub publisher (not dropped, not refused). When the stalled subscriber goes away its buffers are
/// freed, the alarm clears by itself and the publisher finishes. The broker stays up and logs no error.
/// </summary>
[Trait("Category", "Interop")]
public sealed class MemoryPressureTests(ITestOutputHelper output)
{
    private const int WatermarkBytes = 32 * 1024 * 1024;

    [Fact]
    public async Task AStalledSubscriberRaisesTheMemoryAlarmWhichHoldsThePublisherAndClearsWhenItLeaves()
    {
        await using var broker = new BrokerProcess(
        [
            "--EdgeBroker:Limits:MemoryHighWatermarkBytes=" + WatermarkBytes.ToString(CultureInfo.InvariantCulture),
            "--EdgeBroker:Limits:MemoryCheckIntervalMs=100",
            "--EdgeBroker:Mqtt:SysIntervalSeconds=0",
        ]);
        await broker.StartAsync();
        var port = broker.MqttPort.ToString(CultureInfo.InvariantCulture);

        // A raw subscriber with a small receive buffer that never reads after SUBACK: up to Mqtt:MaxQueuedMessages
        // (1000) live messages of 64 KiB pile up for it, twice the watermark.
        await using var stalled = await RawTcpClient.ConnectAsync(broker.MqttPort, bufferSize: 4096);
        await stalled.SendAsync(RawMqtt.Connect("stalled", level: 4));
        Assert.Equal(2, (await RawMqtt.ReadAsync(stalled, TimeSpan.FromSeconds(10)))!.Type); // CONNACK
        await stalled.SendAsync(RawMqtt.Subscribe("pressure/#", packetId: 1, qos: 0));
        Assert.Equal(9, (await RawMqtt.ReadAsync(stalled, TimeSpan.FromSeconds(10)))!.Type); // SUBACK

        var payload = Path.Combine(Path.GetTempPath(), "eb-pressure-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllBytesAsync(payload, new byte[64 * 1024]);
        try
        {
            // 5,000 publishes 1 ms apart: still publishing when the alarm is raised.
            await using var publisher = ExternalProcess.Start("mosquitto_pub", ["-p", port, "-t", "pressure/load", "-f", payload, "--repeat", "5000", "--repeat-delay", "0.001"]);
            await Poll.UntilAsync(() => broker.ReadLog().Contains("Memory alarm raised", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the memory alarm was not raised");
            await Poll.UntilAsync(async () => await HeldByMemoryAsync(broker) >= 1, TimeSpan.FromSeconds(30), "the publisher was not held");
            Assert.False(publisher.HasExited, "the publisher finished although the alarm holds it");
            var rssDuringAlarm = IdleConnectionLoadTests.ReadRssBytes(broker.ProcessId);

            // The stalled subscriber leaves: its buffers are freed, the alarm clears and the publisher finishes.
            await stalled.DisposeAsync();
            await Poll.UntilAsync(() => broker.ReadLog().Contains("Memory alarm cleared", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the memory alarm did not clear");
            Assert.Equal(0, await publisher.WaitForExitAsync(120_000));

            output.WriteLine($"held publishes {await HeldByMemoryAsync(broker)}; broker RSS during the alarm {rssDuringAlarm / 1024 / 1024} MiB, after {IdleConnectionLoadTests.ReadRssBytes(broker.ProcessId) / 1024 / 1024} MiB");
            Assert.True(broker.IsRunning);
            Assert.Empty(broker.ErrorLines());
        }
        finally
        {
            File.Delete(payload);
        }
    }

    private static async Task<long> HeldByMemoryAsync(BrokerProcess broker)
    {
        using var http = new HttpClient { BaseAddress = broker.BaseAddress };
        var metrics = await http.GetStringAsync("metrics");
        var match = Regex.Match(metrics, "edgebroker_publishes_held_total\\{reason=\"memory_alarm\"\\} (\\d+)");
        return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }
}
