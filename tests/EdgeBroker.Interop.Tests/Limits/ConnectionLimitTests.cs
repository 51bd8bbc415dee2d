namespace EdgeBroker.Interop.Tests.Limits;

using System.Globalization;
using System.Net.Sockets;
using System.Text;
using EdgeBroker.Interop.Tests.Mqtt;

/// <summary>
/// Listener limits against the real broker process: a STOMP connection beyond <c>Stomp:MaxConnections</c> gets an
/// ERROR frame, an MQTT one CONNACK Server busy; MQTT connections beyond the per-IP rate are closed; a publisher above
/// <c>Limits:InboundBytesPerSecond</c> is paused (counted in /metrics), not dropped.
/// </summary>
[Trait("Category", "Interop")]
public sealed class ConnectionLimitTests
{
    [Fact]
    public async Task AStompConnectionBeyondMaxConnectionsGetsAnErrorAndAFastPublisherIsPaused()
    {
        await using var broker = new BrokerProcess(["--EdgeBroker:Stomp:MaxConnections=1", "--EdgeBroker:Limits:InboundBytesPerSecond=100000", "--EdgeBroker:Mqtt:SysIntervalSeconds=0"]);
        await broker.StartAsync();

        using var first = new TcpClient();
        await first.ConnectAsync("127.0.0.1", broker.StompPort);
        var firstStream = first.GetStream();
        await firstStream.WriteAsync(Encoding.UTF8.GetBytes("CONNECT\naccept-version:1.2\nhost:edge\n\n\0"));
        Assert.StartsWith("CONNECTED", await ReadFrameAsync(firstStream), StringComparison.Ordinal);

        using var second = new TcpClient();
        await second.ConnectAsync("127.0.0.1", broker.StompPort);
        var refused = await ReadFrameAsync(second.GetStream());
        Assert.StartsWith("ERROR", refused, StringComparison.Ordinal);
        Assert.Contains("message:server busy", refused, StringComparison.Ordinal);
        second.Dispose();

        // 300 KB at 100 KB/s with a 100 KB burst: the packet is accepted (PUBACK), the reads after it wait.
        var payload = Path.Combine(Path.GetTempPath(), "eb-limit-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllBytesAsync(payload, new byte[300_000]);
        try
        {
            await ExternalProcess.RunAsync("mosquitto_pub", ["-V", "5", "-p", broker.MqttPort.ToString(CultureInfo.InvariantCulture), "-q", "1", "-t", "limits/big", "-f", payload]);
        }
        finally
        {
            File.Delete(payload);
        }

        var metrics = await MetricsAsync(broker);
        Assert.Contains("edgebroker_connections_refused_total{protocol=\"stomp\",reason=\"max_connections\"} 1", metrics, StringComparison.Ordinal);
        var throttled = System.Text.RegularExpressions.Regex.Match(metrics, "edgebroker_inbound_throttled_total\\{protocol=\"mqtt\"\\} (\\d+)");
        Assert.True(throttled.Success && long.Parse(throttled.Groups[1].Value, CultureInfo.InvariantCulture) >= 1, metrics);
        Assert.Contains("edgebroker_listener_connections{protocol=\"stomp\"} 1", metrics, StringComparison.Ordinal);
        Assert.Empty(broker.ErrorLines());
    }

    [Fact]
    public async Task AnMqttConnectionBeyondMaxConnectionsGetsServerBusy()
    {
        await using var broker = new BrokerProcess(["--EdgeBroker:Mqtt:MaxConnections=1", "--EdgeBroker:Mqtt:SysIntervalSeconds=0"]);
        await broker.StartAsync();
        var port = broker.MqttPort.ToString(CultureInfo.InvariantCulture);
        await using var holder = ExternalProcess.Start("stdbuf", ["-oL", "mosquitto_sub", "-V", "5", "-p", port, "-t", "limits/hold", "-d"]);
        await holder.WaitForLineAsync("SUBACK");

        // mosquitto clients exit with the CONNACK code: 137 = 0x89 Server busy (v5), 3 = server unavailable (3.1.1).
        await using (var v5 = ExternalProcess.Start("mosquitto_pub", ["-V", "5", "-p", port, "-t", "limits/busy", "-m", "x", "-d"]))
        {
            Assert.Equal(137, await v5.WaitForExitAsync(15_000));
            Assert.Contains(v5.Lines, l => l.Contains("received CONNACK (137)", StringComparison.Ordinal));
        }

        await using (var v311 = ExternalProcess.Start("mosquitto_pub", ["-V", "mqttv311", "-p", port, "-t", "limits/busy", "-m", "x"]))
        {
            Assert.Equal(3, await v311.WaitForExitAsync(15_000));
        }

        holder.Kill();
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (!(await MetricsAsync(broker)).Contains("edgebroker_listener_connections{protocol=\"mqtt\"} 0", StringComparison.Ordinal))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(15), "the held connection was not released");
            await Task.Delay(100); // poll interval
        }

        await ExternalProcess.RunAsync("mosquitto_pub", ["-V", "5", "-p", port, "-t", "limits/busy", "-m", "x"]);
        Assert.Contains("edgebroker_connections_refused_total{protocol=\"mqtt\",reason=\"max_connections\"} 2", await MetricsAsync(broker), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MqttConnectionsBeyondThePerIpRateAreClosed()
    {
        await using var broker = new BrokerProcess(["--EdgeBroker:Limits:ConnectionsPerSecondPerIp=0.05", "--EdgeBroker:Limits:ConnectionBurstPerIp=2", "--EdgeBroker:Mqtt:SysIntervalSeconds=0"]);
        await broker.StartAsync();
        var port = broker.MqttPort.ToString(CultureInfo.InvariantCulture);

        // The burst of two connections is allowed; the third within 20 s is closed before CONNACK.
        await ExternalProcess.RunAsync("mosquitto_pub", ["-V", "5", "-p", port, "-t", "limits/rate", "-m", "1"]);
        await ExternalProcess.RunAsync("mosquitto_pub", ["-V", "mqttv311", "-p", port, "-t", "limits/rate", "-m", "2"]);
        await using var third = ExternalProcess.Start("mosquitto_pub", ["-V", "5", "-p", port, "-t", "limits/rate", "-m", "3"]);
        Assert.NotEqual(0, await third.WaitForExitAsync(15_000));

        var metrics = await MetricsAsync(broker);
        Assert.Contains("edgebroker_connections_refused_total{protocol=\"mqtt\",reason=\"rate\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("refused (rate)", broker.ReadLog(), StringComparison.Ordinal);
    }

    internal static async Task<string> MetricsAsync(BrokerProcess broker)
    {
        using var http = new HttpClient { BaseAddress = broker.BaseAddress };
        return await http.GetStringAsync("metrics");
    }

    /// <summary>Reads up to the NUL that ends a STOMP frame (with a deadline).</summary>
    private static async Task<string> ReadFrameAsync(NetworkStream stream)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var bytes = new List<byte>();
        var buffer = new byte[1024];
        while (true)
        {
            var read = await stream.ReadAsync(buffer, cts.Token);
            if (read == 0)
            {
                break;
            }

            bytes.AddRange(buffer.AsSpan(0, read).ToArray());
            if (bytes.Contains(0))
            {
                break;
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }
}
