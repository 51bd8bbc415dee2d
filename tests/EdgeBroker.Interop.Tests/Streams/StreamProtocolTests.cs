namespace EdgeBroker.Interop.Tests.Streams;

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeBroker.Interop.Tests.Mqtt;
using Xunit.Abstractions;

/// <summary>
/// Streams over STOMP and MQTT against the real broker process with real clients (issue 5 "Done when"):
/// stomp.py consumer-group members (tests/python/streams/group_member.py), one killed with SIGKILL, its partitions
/// moving to the others within the group session timeout, with no committed record delivered again and nothing
/// skipped; telemetry from mosquitto_pub captured into a stream and replayed from offset 0 and from a timestamp,
/// through a STOMP <c>/stream/</c> subscription (stomp.py) and through mosquitto_sub with the <c>$stream/</c> form.
/// (HTTP long-poll fetch returning as soon as data arrives is covered by Server.Tests StreamEndpointTests.)
/// </summary>
[Trait("Category", "Interop")]
public sealed class StreamProtocolTests(ITestOutputHelper output)
{
    private const int SessionTimeoutMs = 2000;

    private static string Script(string name) => Path.Combine(ExternalProcess.RepositoryRoot, "tests", "python", "streams", name);

    [Fact]
    public async Task StompGroupMembersSharePartitionsAndAKilledMembersPartitionsMoveWithoutRepeatsOrGaps()
    {
        const int Partitions = 6;
        await using var broker = new BrokerProcess(
        [
            "--EdgeBroker:Storage:Fsync=always",
            $"--EdgeBroker:Streams:jobs:Partitions={Partitions}",
            $"--EdgeBroker:StreamGroups:SessionTimeoutMs={SessionTimeoutMs}",
        ]);
        await broker.StartAsync();
        using var http = new HttpClient { BaseAddress = broker.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var port = broker.StompPort.ToString(CultureInfo.InvariantCulture);

        // Three members; the victim acks 4 records, then hangs holding its prefetch (10) unacknowledged.
        await using var a = Member(port, stallAfter: -1);
        await a.WaitForLineAsync("READY");
        await using var b = Member(port, stallAfter: -1);
        await b.WaitForLineAsync("READY");
        await using var victim = Member(port, stallAfter: 4);
        await victim.WaitForLineAsync("READY");
        await UntilAsync(async () => (await GroupAsync(http)).GetProperty("members").GetArrayLength() == 3, "three members");

        // Produced only once all three joined: no rebalance happens before the kill.
        await ProduceAsync(port, first: 0, count: 60);
        await UntilAsync(() => Task.FromResult(Lines(victim, "ACKED").Count == 4 && Lines(victim, "MSG").Count >= 10), "the victim holding 4 acked and more unacked records");

        victim.Kill(); // SIGKILL; returns once the process is gone and its output read to the end
        var killed = Stopwatch.StartNew();
        var victimDelivered = Deliveries(victim);
        var victimCommitted = Lines(victim, "ACKED").Select(Position).ToList();
        var victimPartitions = victimDelivered.Select(d => d.Partition).ToHashSet();
        Assert.Equal(4, victimCommitted.Count);
        await UntilAsync(async () => (await GroupAsync(http)).GetProperty("members").GetArrayLength() == 2, "the victim removed");
        var rebalance = killed.ElapsedMilliseconds;
        output.WriteLine($"rebalanced {rebalance} ms after SIGKILL (session timeout {SessionTimeoutMs} ms)");
        Assert.True(rebalance <= SessionTimeoutMs + 1000, $"rebalance took {rebalance} ms");
        var group = await GroupAsync(http);
        Assert.All(group.GetProperty("partitions").EnumerateArray(), p => Assert.Equal(JsonValueKind.String, p.GetProperty("owner").ValueKind));

        await ProduceAsync(port, first: 60, count: 60);

        // Everything consumed and committed: the group's lag drains to 0 over all 120 records.
        await UntilAsync(async () =>
        {
            var info = await GroupAsync(http);
            return info.GetProperty("totalLag").GetInt64() == 0 && info.GetProperty("partitions").EnumerateArray().Sum(p => p.GetProperty("endOffset").GetInt64()) == 120;
        }, "the group caught up");

        // A member prints (flushed) before it acks, but its lines reach us through an asynchronous pipe reader: once the
        // lag is 0, give that reader a bounded moment to catch up with the last acked records before judging.
        var ends = (await GroupAsync(http)).GetProperty("partitions").EnumerateArray().ToDictionary(p => p.GetProperty("partition").GetInt32(), p => p.GetProperty("endOffset").GetInt64());
        var outputRead = Stopwatch.StartNew();
        while (outputRead.Elapsed < TimeSpan.FromSeconds(10)
            && Deliveries(a).Concat(Deliveries(b)).Concat(victimDelivered).Select(d => (d.Partition, d.Offset)).Distinct().Count() < ends.Values.Sum())
        {
            await Task.Delay(20); // poll interval with a deadline
        }

        var survivors = Deliveries(a).Concat(Deliveries(b)).ToList();
        var all = survivors.Concat(victimDelivered).ToList();

        // Nothing skipped: every offset of every partition was delivered to some member, and every record body.
        foreach (var (partition, end) in ends)
        {
            var offsets = all.Where(d => d.Partition == partition).Select(d => d.Offset).ToHashSet();
            Assert.True(offsets.SetEquals(Enumerable.Range(0, (int)end).Select(o => (long)o)), $"partition {partition}: delivered [{string.Join(',', offsets.Order())}] of 0..{end - 1}");
        }

        Assert.Equal(Enumerable.Range(0, 120).Select(i => "r" + i).Order(), all.Select(d => d.Body).Distinct().Order());

        // No committed record delivered again: the victim's partitions resume after its last commit.
        foreach (var partition in victimPartitions)
        {
            var committed = victimCommitted.Where(c => c.Partition == partition).Select(c => c.Offset + 1).DefaultIfEmpty(0).Max();
            Assert.All(survivors.Where(d => d.Partition == partition), d => Assert.True(d.Offset >= committed, $"partition {partition} offset {d.Offset} was committed (< {committed}) and delivered again"));
        }

        // At-least-once: what the victim held unacknowledged went to the survivors.
        foreach (var held in victimDelivered.Where(d => !victimCommitted.Contains((d.Partition, d.Offset))))
        {
            Assert.Contains(survivors, d => d.Partition == held.Partition && d.Offset == held.Offset);
        }
    }

    [Fact]
    public async Task MosquittoTelemetryCapturedIntoAStreamIsReplayedFromOffsetZeroAndFromATimestamp()
    {
        await using var broker = new BrokerProcess(
        [
            "--EdgeBroker:Streams:telemetry:Partitions=1",
            "--EdgeBroker:Streams:telemetry:Filters:0=sensors/#",
        ]);
        await broker.StartAsync();
        using var http = new HttpClient { BaseAddress = broker.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var mqttPort = broker.MqttPort.ToString(CultureInfo.InvariantCulture);
        var stompPort = broker.StompPort.ToString(CultureInfo.InvariantCulture);

        for (var i = 0; i < 4; i++)
        {
            await ExternalProcess.RunAsync("mosquitto_pub", ["-V", "mqttv311", "-p", mqttPort, "-q", "1", "-t", "sensors/room1/temp", "-m", "early-" + i]);
        }

        // The instant between the two batches: one past the last early record's timestamp (read back over HTTP).
        using var early = JsonDocument.Parse(await http.GetStringAsync("api/streams/telemetry/partitions/0/records?from=first&max=100"));
        var earlyRecords = early.RootElement.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(4, earlyRecords.Count);
        var between = earlyRecords[^1].GetProperty("timestampMs").GetInt64() + 1;

        for (var i = 0; i < 3; i++)
        {
            await ExternalProcess.RunAsync("mosquitto_pub", ["-V", "mqttv5", "-p", mqttPort, "-q", "1", "-t", "sensors/room2/hum", "-m", "late-" + i]);
        }

        string[] everything = ["early-0", "early-1", "early-2", "early-3", "late-0", "late-1", "late-2"];

        // STOMP (stomp.py): /stream/telemetry from offset 0, and from the timestamp.
        var fromZero = await ReplayAsync(stompPort, "0", 7);
        Assert.Equal(everything, fromZero.Select(m => m.GetProperty("body").GetString()));
        Assert.Equal(Enumerable.Range(0, 7).Select(i => (long)i), fromZero.Select(m => m.GetProperty("offset").GetInt64()));
        Assert.Equal("sensors/room1/temp", fromZero[0].GetProperty("topic").GetString());
        var fromTime = await ReplayAsync(stompPort, "timestamp=" + between.ToString(CultureInfo.InvariantCulture), 3);
        Assert.Equal(everything[4..], fromTime.Select(m => m.GetProperty("body").GetString()));

        // MQTT (mosquitto_sub): $stream/telemetry/0/# replays everything, then follows a new publish.
        await using (var sub = await MosquittoSubAsync(mqttPort, "$stream/telemetry/0/#", count: 8))
        {
            await UntilAsync(() => Task.FromResult(Messages(sub).Count == 7), "the replay from offset 0");
            await ExternalProcess.RunAsync("mosquitto_pub", ["-V", "mqttv311", "-p", mqttPort, "-q", "1", "-t", "sensors/room3/co2", "-m", "live"]);
            Assert.Equal(0, await sub.WaitForExitAsync(15_000));
            Assert.Equal([.. everything, "live"], Messages(sub).Select(m => m.Split('|')[2]));
            Assert.Equal("sensors/room1/temp", Messages(sub)[0].Split('|')[1]);
        }

        // MQTT from the timestamp, with a topic filter inside the stream: only room2's records after the instant.
        await using (var sub = await MosquittoSubAsync(mqttPort, $"$stream/telemetry/t{between}/sensors/room2/#", count: 3))
        {
            Assert.Equal(0, await sub.WaitForExitAsync(15_000));
            Assert.Equal(everything[4..], Messages(sub).Select(m => m.Split('|')[2]));
        }
    }

    private static ExternalProcess Member(string port, int stallAfter) =>
        ExternalProcess.Start("/usr/bin/python3", ["-u", Script("group_member.py"), "127.0.0.1", port, "jobs", "workers", stallAfter.ToString(CultureInfo.InvariantCulture)]);

    private static async Task ProduceAsync(string port, int first, int count)
    {
        var lines = await ExternalProcess.RunAsync("/usr/bin/python3", ["-u", Script("produce.py"), "127.0.0.1", port, "jobs", first.ToString(CultureInfo.InvariantCulture), count.ToString(CultureInfo.InvariantCulture)]);
        using var result = JsonDocument.Parse(lines[^1]);
        Assert.Equal(0, result.RootElement.GetProperty("errors").GetArrayLength());
        Assert.Equal(count, result.RootElement.GetProperty("receipts").GetInt32());
    }

    private static async Task<List<JsonElement>> ReplayAsync(string port, string position, int count)
    {
        var lines = await ExternalProcess.RunAsync("/usr/bin/python3", ["-u", Script("replay.py"), "127.0.0.1", port, "telemetry", position, count.ToString(CultureInfo.InvariantCulture)]);
        var result = JsonDocument.Parse(lines[^1]).RootElement;
        Assert.Equal(0, result.GetProperty("errors").GetArrayLength());
        return [.. result.GetProperty("messages").EnumerateArray()];
    }

    private static async Task<ExternalProcess> MosquittoSubAsync(string port, string filter, int count)
    {
        // stdbuf: mosquitto_sub's stdout is a pipe here; line buffering makes each line visible while it runs.
        var sub = ExternalProcess.Start("stdbuf", ["-oL", "mosquitto_sub", "-V", "mqttv5", "-p", port, "-q", "1", "-t", filter, "-C", count.ToString(CultureInfo.InvariantCulture), "-W", "15", "-d", "-F", "MSG|%t|%p"]);
        await sub.WaitForLineAsync("SUBACK");
        return sub;
    }

    private static List<string> Messages(ExternalProcess process) => [.. process.Lines.Where(l => l.StartsWith("MSG|", StringComparison.Ordinal))];

    private static async Task<JsonElement> GroupAsync(HttpClient http)
    {
        using var response = await http.GetAsync("api/streams/jobs/groups/workers");
        if (!response.IsSuccessStatusCode)
        {
            return JsonDocument.Parse("""{"members":[],"partitions":[],"totalLag":-1}""").RootElement;
        }

        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private static List<string> Lines(ExternalProcess process, string kind) => [.. process.Lines.Where(l => l.StartsWith(kind + " ", StringComparison.Ordinal))];

    private static (int Partition, long Offset) Position(string line)
    {
        var parts = line.Split(' ');
        return (int.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    private static List<(int Partition, long Offset, string Body)> Deliveries(ExternalProcess process) =>
        [.. Lines(process, "MSG").Select(l => l.Split(' ')).Select(p => (int.Parse(p[1], CultureInfo.InvariantCulture), long.Parse(p[2], CultureInfo.InvariantCulture), p[3]))];

    private static async Task UntilAsync(Func<Task<bool>> condition, string what, int timeoutMs = 20_000)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.ElapsedMilliseconds < timeoutMs, $"timed out waiting for {what}");
            await Task.Delay(20); // poll interval with a deadline, not a synchronisation sleep
        }
    }
}
