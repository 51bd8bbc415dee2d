namespace EdgeBroker.Interop.Tests.Reliability;

using System.Globalization;
using System.Text.Json;
using EdgeBroker.Interop.Tests.Mqtt;
using Xunit.Abstractions;

/// <summary>
/// F01 under protocol load, Jepsen total-queue style: a paho-mqtt QoS 1 publisher and a stomp.py persistent
/// publisher (receipts) write numbered messages to topics captured by a durable queue and a 2-partition stream
/// while the broker is killed with SIGKILL <see cref="Cycles"/> times and restarted. The publishers reconnect and
/// re-send what was not acknowledged. Checker: every acknowledged message is in the queue and in the stream
/// (lost = none), nothing nobody sent appears (invented = none), and in the stream each publisher's acknowledged
/// messages appear in the order they were sent (first occurrences; duplicates from re-sends are allowed).
/// </summary>
[Trait("Category", "Crash")]
public sealed class CrashLoopTests(ITestOutputHelper output)
{
    private const int Cycles = 50;
    private const string Queue = "crashq";
    private const string Stream = "crashs";

    [Fact]
    public async Task AcknowledgedMessagesSurviveFiftyKillDashNineCycles()
    {
        var mqttPort = BrokerProcess.FindFreePort();
        var stompPort = BrokerProcess.FindFreePort();
        await using var broker = new BrokerProcess(
        [
            "--EdgeBroker:Storage:Fsync=always",
            "--EdgeBroker:Queues:0:Name=" + Queue,
            "--EdgeBroker:Bindings:0:Pattern=crash/#",
            "--EdgeBroker:Bindings:0:Queue=" + Queue,
            $"--EdgeBroker:Streams:{Stream}:Partitions=2",
            $"--EdgeBroker:Streams:{Stream}:Partitioning=Topic",
            $"--EdgeBroker:Streams:{Stream}:Filters:0=crash/#",
            "--EdgeBroker:Mqtt:Port=" + mqttPort.ToString(CultureInfo.InvariantCulture),
            "--EdgeBroker:Stomp:Port=" + stompPort.ToString(CultureInfo.InvariantCulture),
        ]);
        await broker.StartAsync();

        var script = Path.Combine(ExternalProcess.RepositoryRoot, "tests", "python", "reliability", "acked_publisher.py");
        await using var mqtt = ExternalProcess.Start("/usr/bin/python3", [script, "mqtt", mqttPort.ToString(CultureInfo.InvariantCulture), "mqtt-pub", "crash/mqtt", "1000000"]);
        await using var stomp = ExternalProcess.Start("/usr/bin/python3", [script, "stomp", stompPort.ToString(CultureInfo.InvariantCulture), "stomp-pub", "crash/stomp", "1000000"]);

        var random = new Random(20261122);
        for (var cycle = 0; cycle < Cycles; cycle++)
        {
            await Task.Delay(random.Next(200, 700));
            broker.KillHard();
            await broker.StartAsync(TimeSpan.FromSeconds(60));
        }

        await Task.Delay(500);
        mqtt.Kill();
        stomp.Kill();

        var publishers = new[] { ("mqtt-pub", mqtt), ("stomp-pub", stomp) };
        var sent = new HashSet<string>(publishers.SelectMany(p => Ids(p.Item2, "SEND ")), StringComparer.Ordinal);
        var acked = publishers.ToDictionary(p => p.Item1, p => Ids(p.Item2, "ACK ").ToList());
        foreach (var (name, ids) in acked)
        {
            Assert.True(ids.Count > Cycles, $"{name} got only {ids.Count} acknowledgements over {Cycles} cycles: stderr {(name == "mqtt-pub" ? mqtt : stomp).Errors}");
        }

        using var http = new HttpClient { BaseAddress = broker.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var queued = await DrainQueueAsync(http);
        var partitions = await ReadStreamAsync(http);
        var streamed = partitions.SelectMany(p => p).ToHashSet(StringComparer.Ordinal);

        var allAcked = acked.Values.SelectMany(a => a).ToList();
        var lostFromQueue = allAcked.Where(id => !queued.Contains(id)).ToList();
        var lostFromStream = allAcked.Where(id => !streamed.Contains(id)).ToList();
        var invented = queued.Concat(streamed).Where(id => !sent.Contains(id)).Distinct().ToList();
        output.WriteLine($"acknowledged {allAcked.Count} ({string.Join(", ", acked.Select(a => $"{a.Key} {a.Value.Count}"))}), queued {queued.Count}, streamed {streamed.Count}");

        Assert.True(lostFromQueue.Count == 0, $"{lostFromQueue.Count} acknowledged messages missing from the queue, e.g. {string.Join(", ", lostFromQueue.Take(5))}");
        Assert.True(lostFromStream.Count == 0, $"{lostFromStream.Count} acknowledged messages missing from the stream, e.g. {string.Join(", ", lostFromStream.Take(5))}");
        Assert.True(invented.Count == 0, $"{invented.Count} messages nobody sent, e.g. {string.Join(", ", invented.Take(5))}");
        foreach (var (name, ids) in acked)
        {
            AssertAcknowledgedOrderKept(name, ids, partitions);
        }

        var errors = broker.ErrorLines();
        Assert.True(errors.Count == 0, "a kill -9 is not corruption, yet the broker logged errors:\n" + string.Join('\n', errors.Take(20)));
    }

    [Fact]
    public async Task ReceiptedStompSendsToAQueueSurviveKillDashNine()
    {
        var stompPort = BrokerProcess.FindFreePort();
        await using var broker = new BrokerProcess(["--EdgeBroker:Stomp:Port=" + stompPort.ToString(CultureInfo.InvariantCulture)]);
        await broker.StartAsync();
        var script = Path.Combine(ExternalProcess.RepositoryRoot, "tests", "python", "reliability", "acked_publisher.py");
        await using var stomp = ExternalProcess.Start("/usr/bin/python3", [script, "stomp", stompPort.ToString(CultureInfo.InvariantCulture), "direct", "/queue/" + Queue, "1000000"]);

        for (var cycle = 0; cycle < 5; cycle++)
        {
            await stomp.WaitForLineAsync("ACK direct-" + (cycle * 50).ToString(CultureInfo.InvariantCulture), 60_000);
            broker.KillHard();
            await broker.StartAsync(TimeSpan.FromSeconds(60));
        }

        await stomp.WaitForLineAsync("ACK direct-300", 60_000);
        stomp.Kill();
        var acked = Ids(stomp, "ACK ").ToList();
        var sent = Ids(stomp, "SEND ").ToHashSet(StringComparer.Ordinal);
        using var http = new HttpClient { BaseAddress = broker.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var queued = await DrainQueueAsync(http);

        var lost = acked.Where(id => !queued.Contains(id)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {acked.Count} receipted SENDs missing from the queue, e.g. {string.Join(", ", lost.Take(5))}");
        Assert.All(queued, id => Assert.Contains(id, sent));
        Assert.Empty(broker.ErrorLines());
    }

    /// <summary>One publisher's topic maps to one partition: its acknowledged ids must first appear there in send order.</summary>
    private static void AssertAcknowledgedOrderKept(string publisher, List<string> acked, List<List<string>> partitions)
    {
        var holding = partitions.Where(p => p.Any(id => id.StartsWith(publisher + "-", StringComparison.Ordinal))).ToList();
        Assert.Single(holding);
        var firstSeen = new Dictionary<string, int>(StringComparer.Ordinal);
        var records = holding[0];
        for (var i = 0; i < records.Count; i++)
        {
            firstSeen.TryAdd(records[i], i);
        }

        var positions = acked.Select(id => firstSeen[id]).ToList();
        for (var i = 1; i < positions.Count; i++)
        {
            Assert.True(positions[i] > positions[i - 1], $"{publisher}: {acked[i]} is stored before {acked[i - 1]} although it was sent after it");
        }
    }

    private static IEnumerable<string> Ids(ExternalProcess process, string prefix) =>
        process.Lines.Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).Select(l => l[prefix.Length..]);

    private static async Task<HashSet<string>> DrainQueueAsync(HttpClient http)
    {
        var drained = new HashSet<string>(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            using var response = await http.PostAsync($"api/queues/{Queue}/get?count=500", null);
            response.EnsureSuccessStatusCode();
            using var batch = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            if (batch.RootElement.GetArrayLength() == 0)
            {
                return drained;
            }

            foreach (var message in batch.RootElement.EnumerateArray())
            {
                drained.Add(message.GetProperty("payload").GetString()!);
            }
        }

        throw new TimeoutException("The queue did not drain within 120 s.");
    }

    private static async Task<List<List<string>>> ReadStreamAsync(HttpClient http)
    {
        var partitions = new List<List<string>>();
        for (var p = 0; p < 2; p++)
        {
            var records = new List<string>();
            long offset = 0;
            while (true)
            {
                using var page = JsonDocument.Parse(await http.GetStringAsync($"api/streams/{Stream}/partitions/{p}/records?offset={offset}&max=1000"));
                var root = page.RootElement;
                foreach (var record in root.GetProperty("records").EnumerateArray())
                {
                    records.Add(record.GetProperty("message").GetProperty("payload").GetString()!);
                }

                offset = root.GetProperty("nextOffset").GetInt64();
                if (offset >= root.GetProperty("endOffset").GetInt64())
                {
                    break;
                }
            }

            partitions.Add(records);
        }

        return partitions;
    }
}
