namespace EdgeBroker.Bench.Tests;

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeBroker.Interop.Tests;

/// <summary>
/// The load tool as users run it (<c>dotnet edgebroker-bench.dll …</c>) against the real broker process for
/// about two seconds per run: it must print one JSON line whose counts add up, with nothing lost or duplicated
/// at QoS 1 / with receipts. Figures are not asserted, only consistency.
/// </summary>
[Trait("Category", "Integration")]
public sealed class BenchToolSmokeTests
{
    [Fact]
    public async Task MqttQos1PairsAndStompQueueRunCleanAgainstTheRealBroker()
    {
        await using var broker = new BrokerProcess();
        await broker.StartAsync();
        string[] common = ["--mqtt-port", Port(broker.MqttPort), "--stomp-port", Port(broker.StompPort), "--no-progress", "--warmup", "0.5"];

        var pairs = await RunToolAsync([.. common, "-s", "pairs", "-c", "2", "-p", "mqtt5", "-q", "1", "-d", "1.5"]);
        Assert.Equal("pairs", pairs.GetProperty("scenario").GetString());
        AssertCleanRun(pairs);
        Assert.Equal(pairs.GetProperty("sent").GetInt64(), pairs.GetProperty("acked").GetInt64());
        Assert.True(pairs.GetProperty("latencyUs").GetProperty("p50").GetInt64() > 0);

        var queue = await RunToolAsync([.. common, "-s", "queue", "--publishers", "2", "--subscribers", "2", "-d", "1"]);
        AssertCleanRun(queue);
        Assert.Equal(queue.GetProperty("sent").GetInt64(), queue.GetProperty("acked").GetInt64());

        Assert.Empty(broker.ErrorLines());
    }

    private static void AssertCleanRun(JsonElement result)
    {
        Assert.Empty(result.GetProperty("errors").EnumerateArray());
        var sent = result.GetProperty("sent").GetInt64();
        Assert.True(sent > 0, "nothing was sent");
        Assert.Equal(sent, result.GetProperty("received").GetInt64());
        Assert.Equal(0, result.GetProperty("lost").GetInt64());
        Assert.Equal(0, result.GetProperty("duplicated").GetInt64());
        Assert.True(result.GetProperty("msgsPerSecIn").GetDouble() > 0);
    }

    private static async Task<JsonElement> RunToolAsync(string[] args)
    {
        var tool = Path.Combine(AppContext.BaseDirectory, "edgebroker-bench.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(tool);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException("The load tool did not finish within 90 s: " + await stderr);
        }

        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(process.ExitCode == 0 && lines.Length == 1, $"exit {process.ExitCode}, stdout: {await stdout}, stderr: {await stderr}");
        return JsonDocument.Parse(lines[0]).RootElement.Clone();
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
