namespace EdgeBroker.Interop.Tests.Reliability;

using System.Globalization;
using EdgeBroker.Interop.Tests.Mqtt;
using EdgeBroker.Interop.Tests.Stomp;

/// <summary>
/// Fault F12 as each protocol's client sees it (DiskFullTests covers the disk itself over HTTP): while the free-disk
/// alarm is on, mosquitto_pub -V 5 gets PUBACK 0x80 for a QoS 1 publish bound for a durable queue and stomp.py gets
/// an ERROR instead of its RECEIPT, so nothing is acknowledged that may not be stored. The alarm is forced by a
/// threshold no disk can meet (1 PiB free).
/// </summary>
[Trait("Category", "Interop")]
public sealed class DiskAlarmNackTests
{
    [Fact]
    public async Task DurablePublishesAreRefusedWithEachProtocolsNegativeAnswer()
    {
        await using var broker = new BrokerProcess(
        [
            "--EdgeBroker:Storage:MinFreeDiskBytes=" + (1L << 50).ToString(CultureInfo.InvariantCulture),
            "--EdgeBroker:Storage:DiskCheckIntervalMs=50",
            "--EdgeBroker:Queues:0:Name=orders",
            "--EdgeBroker:Bindings:0:Pattern=shop/#",
            "--EdgeBroker:Bindings:0:Queue=orders",
            "--EdgeBroker:Mqtt:SysIntervalSeconds=0",
        ]);
        await broker.StartAsync();
        using (var http = new HttpClient { BaseAddress = broker.BaseAddress })
        {
            await Poll.UntilAsync(async () => (await http.GetStringAsync("metrics")).Contains("edgebroker_disk_alarm 1", StringComparison.Ordinal), TimeSpan.FromSeconds(15), "the disk alarm was not raised");
        }

        // mosquitto_pub reports a refused QoS 1 publish as PUBACK RC:128 (0x80 Unspecified error) and exits non-zero.
        await using (var mqtt = ExternalProcess.Start("mosquitto_pub", ["-V", "5", "-p", broker.MqttPort.ToString(CultureInfo.InvariantCulture), "-q", "1", "-t", "shop/1/order", "-m", "42", "-d"]))
        {
            await mqtt.WaitForExitAsync(15_000);
            Assert.Contains(mqtt.Lines, l => l.Contains("received PUBACK", StringComparison.Ordinal) && l.Contains("rc:128", StringComparison.OrdinalIgnoreCase));
        }

        await using var stomp = ExternalClient.StartPython("send_receipt.py", "127.0.0.1", broker.StompPort.ToString(CultureInfo.InvariantCulture), "/queue/orders", "42");
        var result = await stomp.ResultAsync();
        Assert.Equal(0, result.GetProperty("receipts").GetArrayLength());
        var error = Assert.Single(result.GetProperty("errors").EnumerateArray());
        Assert.Equal("send-1", error.GetProperty("headers").GetProperty("receipt-id").GetString());

        // Nothing reached the queue.
        using var check = new HttpClient { BaseAddress = broker.BaseAddress };
        using var queue = System.Text.Json.JsonDocument.Parse(await check.GetStringAsync("api/queues/orders"));
        Assert.Equal(0, queue.RootElement.GetProperty("ready").GetInt64());
    }
}
