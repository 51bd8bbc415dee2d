namespace EdgeBroker.Interop.Tests.Reliability;

using System.Globalization;
using System.Text.Json;
using EdgeBroker.Interop.Tests.Load;
using EdgeBroker.Interop.Tests.Mqtt;
using Xunit.Abstractions;

/// <summary>
/// Issue 8's mixed soak: about five minutes of steady MQTT over TCP (QoS 1 pairs, edgebroker-bench), STOMP queue
/// work (persistent SENDs with receipts, competing consumers with acks, edgebroker-bench) and MQTT over WebSocket
/// (MQTT.js), with one kill -9 in the middle. After the restart the second half must lose and duplicate nothing,
/// the broker's memory must level off (RSS slope over the last half of the phase), its open sockets must
/// return to the idle count once the clients are gone, and it must log no Error.
/// </summary>
[Trait("Category", "Soak")]
[Collection(LoadTestGroup.Name)]
public sealed class SoakTests(ITestOutputHelper output)
{
    private const int FirstPhaseSeconds = 120;
    private const int SecondPhaseSeconds = 150;

    /// <summary>Generous: a leak of one small message per publish at these rates is ~1 MiB/s; a settled heap is ~0.</summary>
    private const double MaxRssSlopeBytesPerSecond = 1024 * 1024;

    [Fact]
    public async Task MixedLoadForFiveMinutesWithAKillInTheMiddleLeaksNothing()
    {
        await using var broker = new BrokerProcess(["--EdgeBroker:Mqtt:SysIntervalSeconds=0"]);
        await broker.StartAsync();

        await using (var first = StartLoad(broker, FirstPhaseSeconds + 30))
        {
            await Task.Delay(TimeSpan.FromSeconds(FirstPhaseSeconds));
            broker.KillHard(); // mid-load: the clients see their connections drop
            await first.WaitAsync(60_000);
        }

        await broker.StartAsync(TimeSpan.FromSeconds(60));
        var pid = broker.ProcessId;
        await Task.Delay(2000);
        var idleSockets = CountSockets(pid);

        var samples = new List<(double Seconds, long Rss)>();
        await using (var second = StartLoad(broker, SecondPhaseSeconds))
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (clock.Elapsed.TotalSeconds < SecondPhaseSeconds)
            {
                samples.Add((clock.Elapsed.TotalSeconds, IdleConnectionLoadTests.ReadRssBytes(pid)));
                await Task.Delay(5000);
            }

            await second.WaitAsync(90_000);
            second.AssertNothingLostOrDuplicated(output);
        }

        var slope = Slope(samples.Where(s => s.Seconds >= SecondPhaseSeconds / 2.0).ToList());
        output.WriteLine($"RSS {samples[0].Rss / 1048576} MiB → {samples[^1].Rss / 1048576} MiB; slope over the second half {slope / 1024:0.0} KiB/s");
        Assert.True(slope < MaxRssSlopeBytesPerSecond, $"broker RSS still growing by {slope / 1024:0} KiB/s at the end of the soak");

        await Task.Delay(3000); // sockets of the finished clients close
        var afterSockets = CountSockets(pid);
        output.WriteLine($"socket descriptors: {idleSockets} idle before the load, {afterSockets} after it; {Directory.GetFiles($"/proc/{pid}/fd").Length} descriptors in all");
        Assert.InRange(afterSockets, 0, idleSockets + 4); // every client connection's socket was closed
        Assert.Empty(broker.ErrorLines());
    }

    private static SoakLoad StartLoad(BrokerProcess broker, int seconds)
    {
        var tool = Path.Combine(ExternalProcess.RepositoryRoot, "src", "EdgeBroker.Bench", "bin", "Release", "net10.0", "edgebroker-bench.dll");
        Assert.True(File.Exists(tool), "build the solution first: " + tool);
        string[] ports = ["--mqtt-port", broker.MqttPort.ToString(CultureInfo.InvariantCulture), "--stomp-port", broker.StompPort.ToString(CultureInfo.InvariantCulture), "--no-progress", "-d", seconds.ToString(CultureInfo.InvariantCulture), "--warmup", "0"];
        var wsScript = Path.Combine(ExternalProcess.RepositoryRoot, "tests", "node", "soak", "ws_load.js");
        return new SoakLoad(
        [
            ("mqtt pairs", ExternalProcess.Start("dotnet", [tool, "-s", "pairs", "-c", "4", "-q", "1", "--rate", "2000", .. ports])),
            ("stomp queue", ExternalProcess.Start("dotnet", [tool, "-s", "queue", "--publishers", "2", "--subscribers", "2", "--rate", "400", .. ports])),
            ("websocket", ExternalProcess.Start("node", [wsScript, $"ws://127.0.0.1:{broker.HttpPort}/mqtt", "soak/ws/" + Guid.NewGuid().ToString("N"), "100", seconds.ToString(CultureInfo.InvariantCulture)])),
        ]);
    }

    /// <summary>
    /// Open sockets only: the load declares new queues whose log files legitimately stay open, while every socket a
    /// client connection used must be closed once the client is gone.
    /// </summary>
    private static int CountSockets(int pid) =>
        Directory.GetFiles($"/proc/{pid}/fd").Count(fd =>
        {
            try
            {
                return new FileInfo(fd).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true;
            }
            catch (IOException)
            {
                return false; // closed while we looked
            }
        });

    /// <summary>Least-squares slope, bytes per second.</summary>
    private static double Slope(List<(double Seconds, long Rss)> samples)
    {
        var meanX = samples.Average(s => s.Seconds);
        var meanY = samples.Average(s => (double)s.Rss);
        var covariance = samples.Sum(s => (s.Seconds - meanX) * (s.Rss - meanY));
        var variance = samples.Sum(s => (s.Seconds - meanX) * (s.Seconds - meanX));
        return covariance / variance;
    }

    /// <summary>The three clients of one phase; each prints one JSON line at the end.</summary>
    private sealed class SoakLoad(List<(string Name, ExternalProcess Process)> clients) : IAsyncDisposable
    {
        public async Task WaitAsync(int timeoutMs)
        {
            foreach (var (_, process) in clients)
            {
                await process.WaitForExitAsync(timeoutMs);
            }
        }

        public void AssertNothingLostOrDuplicated(ITestOutputHelper output)
        {
            foreach (var (name, process) in clients)
            {
                var json = process.Lines.LastOrDefault(l => l.StartsWith('{'));
                Assert.True(json is not null, $"{name} printed no result.\n{string.Join('\n', process.Lines)}\n{process.Errors}");
                output.WriteLine($"{name}: {json}");
                using var result = JsonDocument.Parse(json);
                var root = result.RootElement;
                if (name == "websocket")
                {
                    Assert.True(root.GetProperty("error").ValueKind == JsonValueKind.Null, $"{name}: {json}");
                    Assert.True(root.GetProperty("sent").GetInt64() > 0, $"{name} sent nothing: {json}");
                    Assert.Equal(root.GetProperty("sent").GetInt64(), root.GetProperty("received").GetInt64());
                    Assert.Equal(0, root.GetProperty("duplicates").GetInt64());
                }
                else
                {
                    Assert.Empty(root.GetProperty("errors").EnumerateArray());
                    Assert.True(root.GetProperty("sent").GetInt64() > 0, $"{name} sent nothing: {json}");
                    Assert.Equal(0, root.GetProperty("lost").GetInt64());
                    Assert.Equal(0, root.GetProperty("duplicated").GetInt64());
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var (_, process) in clients)
            {
                await process.DisposeAsync();
            }
        }
    }
}
