namespace EdgeBroker.Interop.Tests;

using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

/// <summary>
/// F01 over HTTP: concurrent publishers write to a queue, the broker is killed with SIGKILL mid-stream,
/// restarted on the same data directory, and the queue is drained through the API. Queue checker
/// (RELIABILITY.md): lost = acknowledged (2xx) but never drained must be empty; unexpected = drained but
/// never attempted must be empty; duplicates are allowed (at-least-once) and counted.
/// </summary>
[Trait("Category", "Crash")]
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private const string Queue = "crash-q";
    private const int Cycles = 3;
    private const int MessagesPerCycle = 240;
    private const int Publishers = 8;

    [Fact]
    public async Task EveryAcknowledgedPublishSurvivesKillDashNine()
    {
        await using var broker = new BrokerProcess(
        [
            "--EdgeBroker:Storage:Fsync=always",
            "--EdgeBroker:Queues:0:Name=" + Queue,
            "--EdgeBroker:Bindings:0:Pattern=crash/#",
            "--EdgeBroker:Bindings:0:Queue=" + Queue,
        ]);
        await broker.StartAsync();
        var attempted = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        var random = new Random(20261122);

        for (var cycle = 0; cycle < Cycles; cycle++)
        {
            var acknowledged = await PublishAndKillAsync(broker, cycle, attempted, killAfterAcks: random.Next(20, MessagesPerCycle / 2), random.Next());
            await broker.StartAsync();

            var drained = await DrainAsync(broker);

            var lost = acknowledged.Where(a => !drained.Contains(a)).ToList();
            var unexpected = drained.Where(d => !attempted.ContainsKey(d)).ToList();
            Assert.True(lost.Count == 0, $"cycle {cycle}: {lost.Count} acknowledged messages lost, e.g. {string.Join(", ", lost.Take(5))}. Log: {broker.LogPath}\n{Tail(broker.ReadLog())}");
            Assert.True(unexpected.Count == 0, $"cycle {cycle}: {unexpected.Count} messages nobody published, e.g. {string.Join(", ", unexpected.Take(5))}");
            Assert.True(acknowledged.Count > 0, $"cycle {cycle}: nothing was acknowledged before the kill");
            Assert.True(acknowledged.Count < MessagesPerCycle, $"cycle {cycle}: the kill came after the last publish, not mid-stream");
            output.WriteLine($"cycle {cycle}: acknowledged {acknowledged.Count}, drained {drained.Count} (of which {drained.Count(d => !acknowledged.Contains(d))} with unknown or earlier outcome), attempted so far {attempted.Count}");
        }

        // Health checker: a kill -9 is not corruption, so recovery must not log any Error (R8 logs one per corrupt range).
        var errors = broker.ErrorLines();
        Assert.True(errors.Count == 0, "unexpected errors in the broker log:\n" + string.Join('\n', errors));
    }

    /// <summary>Publishes one cycle's messages concurrently and kills the broker once enough were acknowledged.</summary>
    private static async Task<HashSet<string>> PublishAndKillAsync(BrokerProcess broker, int cycle, ConcurrentDictionary<string, byte> attempted, int killAfterAcks, int seed)
    {
        var acknowledged = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        using var http = new HttpClient { BaseAddress = broker.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var next = -1;
        var killed = 0;

        async Task PublisherAsync(int publisher)
        {
            var random = new Random(seed + publisher);
            while (Volatile.Read(ref killed) == 0)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= MessagesPerCycle)
                {
                    return;
                }

                var payload = Payload(cycle, i, random);
                var encoded = Convert.ToBase64String(payload);
                attempted[encoded] = 0;
                try
                {
                    using var response = await http.PostAsJsonAsync("api/publish", new { topic = $"crash/{publisher}", payloadBase64 = encoded, qos = 1 });
                    if (response.IsSuccessStatusCode)
                    {
                        acknowledged[encoded] = 0;
                        if (acknowledged.Count >= killAfterAcks && Interlocked.Exchange(ref killed, 1) == 0)
                        {
                            broker.KillHard();
                        }
                    }
                }
                catch (HttpRequestException)
                {
                    // The broker died under this request: outcome unknown (may or may not be present).
                }
                catch (TaskCanceledException)
                {
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Publishers).Select(PublisherAsync));
        broker.KillHard();
        return [.. acknowledged.Keys];
    }

    /// <summary>Fetch+ack through the API until the queue reports nothing ready.</summary>
    private static async Task<HashSet<string>> DrainAsync(BrokerProcess broker)
    {
        using var http = new HttpClient { BaseAddress = broker.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var drained = new HashSet<string>(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            using var response = await http.PostAsync($"api/queues/{Queue}/get?count=100", null);
            response.EnsureSuccessStatusCode();
            using var batch = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            if (batch.RootElement.GetArrayLength() == 0)
            {
                return drained;
            }

            foreach (var message in batch.RootElement.EnumerateArray())
            {
                drained.Add(message.GetProperty("payloadBase64").GetString()!);
            }
        }

        throw new TimeoutException("The queue did not drain within 60 s.");
    }

    /// <summary>A unique binary payload (id + random bytes incl. 0x00/0xFF) so byte-exactness is checked, not just presence.</summary>
    private static byte[] Payload(int cycle, int index, Random random)
    {
        var id = System.Text.Encoding.ASCII.GetBytes($"c{cycle}-m{index}:");
        var body = new byte[random.Next(1, 600)];
        random.NextBytes(body);
        body[0] = 0;
        body[^1] = 0xFF;
        return [.. id, .. body];
    }

    private static string Tail(string log) => log.Length <= 4000 ? log : log[^4000..];
}
