namespace EdgeBroker.Server.Tests;

using System.Net;
using System.Text;
using System.Text.Json;

/// <summary>The host over the real log-backed stores and routing core (BrokerComposition), restarted on one data directory.</summary>
[Trait("Category", "Integration")]
public sealed class RealCompositionTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "eb-real-" + Guid.NewGuid().ToString("N"));

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public void Dispose() => TestBrokerHost.TryDelete(_dataDirectory);

    [Fact]
    public async Task QueuedMessagesAndApiDeclaredTopologySurviveARestart()
    {
        byte[][] payloads = [[0, 1, 2, 255], Encoding.UTF8.GetBytes("zwei"), new byte[3000]];
        payloads[2].AsSpan().Fill(0xAB);

        await using (var first = await TestBrokerHost.StartRealAsync(_dataDirectory))
        {
            Assert.Equal(HttpStatusCode.OK, (await first.Client.PutAsync("/api/queues/orders", Json("{\"maxLength\":1000}"))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await first.Client.PutAsync("/api/exchanges/ev", Json("{\"type\":\"Fanout\"}"))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await first.Client.PostAsync("/api/bindings", Json("{\"pattern\":\"orders/#\",\"queue\":\"orders\"}"))).StatusCode);
            foreach (var payload in payloads)
            {
                var response = await first.Client.PostAsync("/api/publish", Json($"{{\"topic\":\"orders/x\",\"payloadBase64\":\"{Convert.ToBase64String(payload)}\"}}"));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }

        await using var second = await TestBrokerHost.StartRealAsync(_dataDirectory);

        using (var bindings = JsonDocument.Parse(await second.Client.GetStringAsync("/api/bindings")))
        {
            Assert.Contains(bindings.RootElement.EnumerateArray(), b => b.GetProperty("pattern").GetString() == "orders/#" && b.GetProperty("target").GetString() == "orders");
        }

        using (var exchange = JsonDocument.Parse(await second.Client.GetStringAsync("/api/exchanges/ev")))
        {
            Assert.Equal("Fanout", exchange.RootElement.GetProperty("type").GetString());
        }

        var recovered = MetricsTests.Parse(await second.Client.GetStringAsync("/metrics"))
            .Where(m => m.Name == "edgebroker_recovery_clean_shutdown" && m.Labels["log"].Contains(Path.Combine("queues", "orders"), StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(recovered);
        Assert.All(recovered, m => Assert.Equal(1, m.Value));

        var fetched = await second.Client.PostAsync("/api/queues/orders/get?count=10", null);
        using var messages = JsonDocument.Parse(await fetched.Content.ReadAsStringAsync());
        var got = messages.RootElement.EnumerateArray().Select(m => Convert.FromBase64String(m.GetProperty("payloadBase64").GetString()!)).ToArray();
        Assert.Equal(payloads, got);
    }

    [Fact]
    public async Task ConfiguredTopicLimitsApplyToPublishes()
    {
        await using var host = await TestBrokerHost.StartRealAsync(_dataDirectory, "--EdgeBroker:Topics:MaxLevels=3", "--EdgeBroker:Topics:MaxBytes=32");

        Assert.Equal(HttpStatusCode.OK, (await host.Client.PostAsync("/api/publish", Json("{\"topic\":\"a/b/c\",\"payload\":\"x\"}"))).StatusCode);
        var tooDeep = await host.Client.PostAsync("/api/publish", Json("{\"topic\":\"a/b/c/d\",\"payload\":\"x\"}"));
        Assert.Equal(HttpStatusCode.BadRequest, tooDeep.StatusCode);
        Assert.Contains("3 levels", await tooDeep.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var tooLong = await host.Client.PostAsync("/api/publish", Json($"{{\"topic\":\"{new string('t', 33)}\",\"payload\":\"x\"}}"));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
    }

    [Fact]
    public async Task MetricsAndHealthReportTheRealStores()
    {
        await using var host = await TestBrokerHost.StartRealAsync(_dataDirectory, "--EdgeBroker:Queues:0:Name=jobs");
        await host.Client.PostAsync("/api/publish", Json("{\"queue\":\"jobs\",\"payload\":\"x\"}"));

        var samples = MetricsTests.Parse(await host.Client.GetStringAsync("/metrics"));
        var health = await host.Client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(1, Assert.Single(samples, s => s.Name == "edgebroker_queue_ready_messages" && s.Labels["queue"] == "jobs").Value);
        Assert.True(Assert.Single(samples, s => s.Name == "edgebroker_log_size_bytes" && s.Labels["log"] == "queues/jobs").Value > 0);
        Assert.Contains(samples, s => s.Name == "edgebroker_recovery_clean_shutdown");

        // fsync=always: the durable publish above fsynced at least once, and the histogram is cumulative.
        var buckets = samples.Where(s => s.Name == "edgebroker_fsync_duration_seconds_bucket").Select(s => s.Value).ToList();
        var count = Assert.Single(samples, s => s.Name == "edgebroker_fsync_duration_seconds_count").Value;
        Assert.True(count >= 1, $"fsync count {count}");
        Assert.Equal(count, Assert.Single(samples, s => s.Name == "edgebroker_fsync_duration_seconds_bucket" && s.Labels["le"] == "+Inf").Value);
        Assert.Equal(buckets.Order().ToList(), buckets);
        Assert.True(Assert.Single(samples, s => s.Name == "edgebroker_fsync_duration_seconds_sum").Value > 0);
    }

    [Fact]
    public async Task DataDirectoryIsPrivateToTheBrokerUser()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        await using var host = await TestBrokerHost.StartRealAsync(_dataDirectory, "--EdgeBroker:Queues:0:Name=jobs");
        await host.Client.PostAsync("/api/publish", Json("{\"queue\":\"jobs\",\"payload\":\"x\"}"));

        const UnixFileMode groupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        Assert.Equal((UnixFileMode)0, File.GetUnixFileMode(_dataDirectory) & groupOrOther);
        var files = Directory.GetFiles(_dataDirectory, "*", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            Assert.True((File.GetUnixFileMode(file) & groupOrOther) == 0, $"{file} is readable by group or others");
        }
    }
}
