namespace EdgeBroker.Interop.Tests.Reliability;

using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

/// <summary>
/// Disk full on a real file system (a 24 MiB tmpfs under the data directory): the free-disk alarm refuses
/// durable publishes with a negative answer before the disk fills, nothing acknowledged is lost or corrupted,
/// and publishing resumes by itself once space returns (RELIABILITY.md, issue 8 "Disk full").
/// </summary>
[Trait("Category", "Crash")]
public sealed class DiskFullTests(ITestOutputHelper output)
{
    private const string Queue = "disk-q";
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task DurablePublishesAreRefusedWhileTheDiskIsFullAndResumeWhenSpaceReturns()
    {
        using var tmpfs = TmpfsMount.Create(24 * MiB);
        await using var broker = new BrokerProcess(
        [
            "--EdgeBroker:Storage:MinFreeDiskBytes=" + (8 * MiB).ToString(CultureInfo.InvariantCulture),
            "--EdgeBroker:Storage:DiskCheckIntervalMs=20",
            "--EdgeBroker:Storage:SegmentBytes=" + (2 * MiB).ToString(CultureInfo.InvariantCulture),
            "--EdgeBroker:Queues:0:Name=" + Queue,
        ], dataDirectory: Path.Combine(tmpfs.Path, "data"));
        await broker.StartAsync();
        using var http = new HttpClient { BaseAddress = broker.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        // Fill: 64 KiB messages until the broker answers 507 (the alarm), never an unexplained error.
        var acknowledged = 0;
        HttpResponseMessage? refusal = null;
        for (var i = 0; i < 1000 && refusal is null; i++)
        {
            var response = await PublishAsync(http, i);
            if (response.IsSuccessStatusCode)
            {
                acknowledged++;
                response.Dispose();
            }
            else
            {
                refusal = response;
            }
        }

        Assert.NotNull(refusal);
        using (refusal)
        {
            Assert.Equal(HttpStatusCode.InsufficientStorage, refusal.StatusCode);
            var problem = await refusal.Content.ReadAsStringAsync();
            Assert.Contains("disk alarm", problem, StringComparison.Ordinal);
            Assert.Contains("\"outcome\":\"Failed\"", problem, StringComparison.Ordinal);
        }

        Assert.InRange(acknowledged, 100, 300); // 16 MiB usable before the alarm, at 64 KiB each
        Assert.Contains("edgebroker_disk_alarm 1", await http.GetStringAsync("metrics"), StringComparison.Ordinal);
        Assert.Equal(acknowledged, await ReadyAsync(http));
        output.WriteLine($"acknowledged {acknowledged} before the alarm");

        // Space returns: the next publishes are accepted without restarting anything.
        tmpfs.Resize(96 * MiB);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            using var response = await PublishAsync(http, 10_000 + acknowledged);
            if (response.IsSuccessStatusCode)
            {
                acknowledged++;
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "publishing did not resume within 20 s after space returned");
            await Task.Delay(50);
        }

        // Nothing corrupted: after a restart the queue holds exactly what was acknowledged and no Error was logged.
        Assert.Equal(0, await broker.StopGracefullyAsync(TimeSpan.FromSeconds(30)));
        await broker.StartAsync();
        using var again = new HttpClient { BaseAddress = broker.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Assert.Equal(acknowledged, await ReadyAsync(again));
        Assert.Empty(broker.ErrorLines());
    }

    private static Task<HttpResponseMessage> PublishAsync(HttpClient http, int i)
    {
        var payload = new byte[64 * 1024];
        new Random(i).NextBytes(payload);
        return http.PostAsJsonAsync("api/publish", new { queue = Queue, payloadBase64 = Convert.ToBase64String(payload), qos = 1 });
    }

    private static async Task<long> ReadyAsync(HttpClient http)
    {
        using var stats = JsonDocument.Parse(await http.GetStringAsync($"api/queues/{Queue}"));
        return stats.RootElement.GetProperty("ready").GetInt64();
    }
}
