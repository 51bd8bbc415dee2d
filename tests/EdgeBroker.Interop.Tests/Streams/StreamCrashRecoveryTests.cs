namespace EdgeBroker.Interop.Tests.Streams;

using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

/// <summary>
/// Streams against the real process: a stream declared in configuration captures <c>sensors/#</c>, messages
/// published over HTTP and appended directly are acknowledged, the broker is killed with SIGKILL (mid-stream for
/// the direct appends), restarted on the same data directory, and read back over HTTP. Log checker
/// (RELIABILITY.md): every acknowledged record is present exactly once at the offset its acknowledgement named,
/// offsets are contiguous per partition, per-key order holds, and a confirmed group commit survives (R5, F20).
/// </summary>
[Trait("Category", "Crash")]
public sealed class StreamCrashRecoveryTests(ITestOutputHelper output)
{
    private const string Stream = "telemetry";
    private const int Partitions = 2;

    [Fact]
    public async Task AcknowledgedRecordsAndGroupCommitsSurviveKillDashNine()
    {
        await using var broker = new BrokerProcess(
        [
            "--EdgeBroker:Storage:Fsync=always",
            $"--EdgeBroker:Streams:{Stream}:Partitions={Partitions}",
            $"--EdgeBroker:Streams:{Stream}:Filters:0=sensors/#",
        ]);
        await broker.StartAsync();
        using var http = new HttpClient { BaseAddress = broker.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        // 1. Captured publishes, one key per device, published in order.
        var published = new List<(string Key, string Payload)>();
        for (var i = 0; i < 12; i++)
        {
            var key = "device-" + (i % 3);
            var payload = $"captured-{i}";
            using var response = await http.PostAsJsonAsync("api/publish", new { topic = $"sensors/{key}/temp", payload, key, qos = 1 });
            response.EnsureSuccessStatusCode();
            published.Add((key, payload));
        }

        // 2. A group reads everything and commits part of it; the commit is confirmed before the kill.
        var member = await FetchGroupAsync(http, memberId: null, expectAtLeast: 12);
        var committed = new Dictionary<int, long>();
        foreach (var partition in member.Records.Select(r => r.Partition).Distinct())
        {
            var offsets = member.Records.Where(r => r.Partition == partition).Select(r => r.Offset).Order().ToList();
            committed[partition] = offsets[offsets.Count / 2];
        }

        using (var commit = await http.PostAsJsonAsync($"api/streams/{Stream}/groups/workers/commit", new { memberId = member.MemberId, offsets = committed.Select(c => new { partition = c.Key, offset = c.Value }) }))
        {
            commit.EnsureSuccessStatusCode();
        }

        // 3. Direct appends from concurrent writers, killed mid-stream once enough were acknowledged.
        var acknowledged = await AppendAndKillAsync(broker, killAfterAcks: 40);
        Assert.NotEmpty(acknowledged);
        Assert.True(acknowledged.Count < 4 * 200, "the kill came after the last append, not mid-stream");

        await broker.StartAsync();
        using var after = new HttpClient { BaseAddress = broker.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        var all = new List<Record>();
        for (var p = 0; p < Partitions; p++)
        {
            var records = await ReadPartitionAsync(after, p);
            Assert.Equal(Enumerable.Range(0, records.Count).Select(i => (long)i), records.Select(r => r.Offset));
            all.AddRange(records);
        }

        // Captured: each present once; per key in publish order, and one key stays in one partition.
        foreach (var group in published.GroupBy(p => p.Key))
        {
            var found = all.Where(r => r.Key == group.Key && r.Payload.StartsWith("captured-", StringComparison.Ordinal)).ToList();
            Assert.Equal(group.Select(g => g.Payload), found.OrderBy(r => r.Offset).Select(r => r.Payload));
            Assert.Single(found.Select(r => r.Partition).Distinct());
        }

        // Direct appends: every acknowledged one at exactly the offset its 2xx named, once.
        foreach (var (payload, (partition, offset)) in acknowledged)
        {
            var matches = all.Where(r => r.Payload == payload).ToList();
            Assert.True(matches.Count == 1, $"'{payload}' present {matches.Count} times. Log: {broker.LogPath}");
            Assert.Equal((partition, offset), (matches[0].Partition, matches[0].Offset));
        }

        Assert.DoesNotContain(all, r => !r.Payload.StartsWith("captured-", StringComparison.Ordinal) && !r.Payload.StartsWith("direct-", StringComparison.Ordinal));

        // The confirmed commit survived; a new member of the group resumes exactly there.
        using (var groupInfo = JsonDocument.Parse(await after.GetStringAsync($"api/streams/{Stream}/groups/workers")))
        {
            foreach (var partition in groupInfo.RootElement.GetProperty("partitions").EnumerateArray())
            {
                var p = partition.GetProperty("partition").GetInt32();
                if (committed.TryGetValue(p, out var offset))
                {
                    Assert.Equal(offset, partition.GetProperty("committed").GetInt64());
                }
            }
        }

        var resumed = await FetchGroupAsync(after, memberId: "after-restart", expectAtLeast: 1);
        foreach (var (partition, offset) in committed)
        {
            Assert.Equal(offset, resumed.Records.Where(r => r.Partition == partition).Min(r => r.Offset));
        }

        output.WriteLine($"captured {published.Count}, direct acknowledged {acknowledged.Count}, read back {all.Count}");
        var errors = broker.ErrorLines();
        Assert.True(errors.Count == 0, "unexpected errors in the broker log:\n" + string.Join('\n', errors));
    }

    private static async Task<Dictionary<string, (int Partition, long Offset)>> AppendAndKillAsync(BrokerProcess broker, int killAfterAcks)
    {
        var acknowledged = new ConcurrentDictionary<string, (int, long)>(StringComparer.Ordinal);
        using var http = new HttpClient { BaseAddress = broker.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var killed = 0;

        async Task WriterAsync(int writer)
        {
            for (var i = 0; i < 200 && Volatile.Read(ref killed) == 0; i++)
            {
                var payload = $"direct-{writer}-{i}";
                try
                {
                    using var response = await http.PostAsJsonAsync($"api/streams/{Stream}/records", new { payload, key = "writer-" + writer });
                    if (!response.IsSuccessStatusCode)
                    {
                        continue;
                    }

                    using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                    acknowledged[payload] = (body.RootElement.GetProperty("partition").GetInt32(), body.RootElement.GetProperty("offset").GetInt64());
                    if (acknowledged.Count >= killAfterAcks && Interlocked.Exchange(ref killed, 1) == 0)
                    {
                        broker.KillHard();
                    }
                }
                catch (HttpRequestException)
                {
                    // The broker died under this request: outcome unknown (may or may not be present).
                    return;
                }
                catch (TaskCanceledException)
                {
                    return;
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(WriterAsync));
        broker.KillHard();
        return new Dictionary<string, (int, long)>(acknowledged, StringComparer.Ordinal);
    }

    private static async Task<List<Record>> ReadPartitionAsync(HttpClient http, int partition)
    {
        var records = new List<Record>();
        var offset = 0L;
        while (true)
        {
            using var page = JsonDocument.Parse(await http.GetStringAsync($"api/streams/{Stream}/partitions/{partition}/records?offset={offset}&max=100"));
            var batch = page.RootElement.GetProperty("records").EnumerateArray().Select(r => ToRecord(r)).ToList();
            if (batch.Count == 0)
            {
                return records;
            }

            records.AddRange(batch);
            offset = page.RootElement.GetProperty("nextOffset").GetInt64();
        }
    }

    private static async Task<(string MemberId, List<Record> Records)> FetchGroupAsync(HttpClient http, string? memberId, int expectAtLeast)
    {
        var records = new List<Record>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            using var response = await http.PostAsJsonAsync($"api/streams/{Stream}/groups/workers/fetch", new { memberId, max = 1000, waitMs = 200, start = "first" });
            response.EnsureSuccessStatusCode();
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            memberId = body.RootElement.GetProperty("memberId").GetString()!;
            var batch = body.RootElement.GetProperty("records").EnumerateArray().Select(r => ToRecord(r)).ToList();
            records.AddRange(batch);
            if (batch.Count == 0 && records.Count >= expectAtLeast)
            {
                return (memberId, records);
            }

            Assert.True(DateTime.UtcNow < deadline, $"group fetch returned {records.Count} records, expected at least {expectAtLeast}");
        }
    }

    private static Record ToRecord(JsonElement r) => new(
        r.GetProperty("partition").GetInt32(),
        r.GetProperty("offset").GetInt64(),
        r.GetProperty("message").GetProperty("key").GetString(),
        r.GetProperty("message").GetProperty("payload").GetString()!);

    private sealed record Record(int Partition, long Offset, string? Key, string Payload);
}
