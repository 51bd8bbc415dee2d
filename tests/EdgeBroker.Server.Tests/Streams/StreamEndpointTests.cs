namespace EdgeBroker.Server.Tests.Streams;

using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using EdgeBroker.Server.Configuration;

/// <summary>The stream endpoints over the real composition (log-backed stream store) on a TestServer.</summary>
[Trait("Category", "Integration")]
public sealed class StreamEndpointTests : IDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "eb-streams-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => TestBrokerHost.TryDelete(_dataDirectory);

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonDocument> OkJsonAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task CapturedAndAppendedRecordsComeBackInOrderWithTheirOffsets()
    {
        await using var host = await TestBrokerHost.StartRealAsync(_dataDirectory);
        var client = host.Client;
        var declared = await client.PutAsync("/api/streams/telemetry", Json("{\"partitions\":2,\"filters\":[\"sensors/#\"],\"retentionAgeMs\":86400000}"));
        Assert.Equal(HttpStatusCode.Created, declared.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync("/api/streams/telemetry", Json("{\"partitions\":2,\"filters\":[\"sensors/#\"],\"retentionAgeMs\":86400000}"))).StatusCode);

        for (var i = 0; i < 3; i++)
        {
            using var ack = await OkJsonAsync(await client.PostAsync("/api/publish", Json($"{{\"topic\":\"sensors/room1\",\"payload\":\"t{i}\",\"key\":\"room1\"}}")));
            Assert.Equal(1, ack.RootElement.GetProperty("durableTargets").GetInt32());
        }

        using var appended = await OkJsonAsync(await client.PostAsync("/api/streams/telemetry/records", Json("{\"payloadBase64\":\"AP8=\",\"key\":\"room1\",\"headers\":{\"h\":\"v\"}}")));
        var partition = appended.RootElement.GetProperty("partition").GetInt32();
        Assert.Equal(3, appended.RootElement.GetProperty("offset").GetInt64());

        using (var fetched = await OkJsonAsync(await client.GetAsync($"/api/streams/telemetry/partitions/{partition}/records?offset=1&max=10")))
        {
            var records = fetched.RootElement.GetProperty("records");
            Assert.Equal([1L, 2L, 3L], records.EnumerateArray().Select(r => r.GetProperty("offset").GetInt64()));
            Assert.Equal("t1", records[0].GetProperty("message").GetProperty("payload").GetString());
            Assert.Equal("sensors/room1", records[0].GetProperty("message").GetProperty("topic").GetString());
            Assert.Equal([0, 255], Convert.FromBase64String(records[2].GetProperty("message").GetProperty("payloadBase64").GetString()!));
            Assert.Equal("telemetry", records[2].GetProperty("message").GetProperty("topic").GetString());
            Assert.Equal(4, fetched.RootElement.GetProperty("nextOffset").GetInt64());
            Assert.Equal(4, fetched.RootElement.GetProperty("endOffset").GetInt64());
        }

        using (var last = await OkJsonAsync(await client.GetAsync($"/api/streams/telemetry/partitions/{partition}/records?from=last")))
        {
            Assert.Equal(3, Assert.Single(last.RootElement.GetProperty("records").EnumerateArray()).GetProperty("offset").GetInt64());
        }

        var firstTimestamp = 0L;
        using (var first = await OkJsonAsync(await client.GetAsync($"/api/streams/telemetry/partitions/{partition}/records?from=first&max=1")))
        {
            firstTimestamp = first.RootElement.GetProperty("records")[0].GetProperty("timestampMs").GetInt64();
        }

        using (var byTime = await OkJsonAsync(await client.GetAsync($"/api/streams/telemetry/partitions/{partition}/records?from=timestamp&timestamp={firstTimestamp}")))
        {
            Assert.Equal(0, byTime.RootElement.GetProperty("records")[0].GetProperty("offset").GetInt64());
        }

        using var stream = await OkJsonAsync(await client.GetAsync("/api/streams/telemetry"));
        Assert.Equal(4, stream.RootElement.GetProperty("records").GetInt64());
        Assert.Equal("sensors/#", stream.RootElement.GetProperty("filters")[0].GetString());
        using var list = await OkJsonAsync(await client.GetAsync("/api/streams"));
        Assert.Equal("telemetry", Assert.Single(list.RootElement.EnumerateArray()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task BadInputIsAProblemDocument()
    {
        await using var host = await TestBrokerHost.StartRealAsync(_dataDirectory);
        var client = host.Client;
        Assert.Equal(HttpStatusCode.Created, (await client.PutAsync("/api/streams/s", Json("{\"partitions\":1}"))).StatusCode);
        await client.PostAsync("/api/streams/s/records", Json("{\"payload\":\"x\"}"));

        await AssertProblemAsync(await client.GetAsync("/api/streams/nope"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await client.GetAsync("/api/streams/nope/partitions/0/records"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await client.PostAsync("/api/streams/nope/records", Json("{\"payload\":\"x\"}")), HttpStatusCode.NotFound);
        await AssertProblemAsync(await client.GetAsync("/api/streams/s/partitions/1/records"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await client.GetAsync("/api/streams/s/partitions/0/records?offset=5"), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await client.GetAsync("/api/streams/s/partitions/0/records?offset=-1"), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await client.GetAsync("/api/streams/s/partitions/0/records?from=yesterday"), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await client.GetAsync("/api/streams/s/partitions/0/records?max=0"), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await client.GetAsync("/api/streams/s/partitions/0/records?waitMs=999999"), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await client.PutAsync("/api/streams/s", Json("{\"partitions\":3}")), HttpStatusCode.Conflict);
        await AssertProblemAsync(await client.PutAsync("/api/streams/.hidden", Json("{}")), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await client.PutAsync("/api/streams/x", Json("{\"partitions\":0}")), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await client.PutAsync("/api/streams/x", Json("{\"filters\":[\"a/#/b\"]}")), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await client.PutAsync("/api/streams/x", Json("{\"fsync\":\"sometimes\"}")), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await client.PutAsync("/api/streams/x", Json("{not json")), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await client.PostAsync("/api/streams/s/records", Json("{\"payload\":\"x\",\"payloadBase64\":\"AA==\"}")), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await client.PostAsync("/api/streams/s/records", Json("{\"payload\":\"x\",\"partition\":4}")), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await client.PostAsync("/api/streams/s/records", Json("{\"payload\":\"x\",\"topic\":\"a/+\"}")), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await client.PostAsync("/api/streams/s/truncate", Json("{\"partition\":7}")), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await client.DeleteAsync("/api/streams/nope"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await client.PostAsync("/api/streams/s/groups/a%2Fb/fetch", Json("{}")), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await client.PostAsync("/api/streams/s/groups/g/commit", Json("{\"memberId\":\"ghost\",\"offsets\":[{\"partition\":0,\"offset\":1}]}")), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ALongPollFetchAnswersAsSoonAsARecordArrives()
    {
        await using var host = await TestBrokerHost.StartRealAsync(_dataDirectory);
        var client = host.Client;
        Assert.Equal(HttpStatusCode.Created, (await client.PutAsync("/api/streams/lp", Json("{}"))).StatusCode);

        var stopwatch = Stopwatch.StartNew();
        var poll = client.GetAsync("/api/streams/lp/partitions/0/records?from=next&waitMs=20000");
        Assert.False(poll.IsCompleted);
        await client.PostAsync("/api/streams/lp/records", Json("{\"payload\":\"wake\"}"));
        using var fetched = await OkJsonAsync(await poll.WaitAsync(TimeSpan.FromSeconds(15)));

        Assert.Equal("wake", fetched.RootElement.GetProperty("records")[0].GetProperty("message").GetProperty("payload").GetString());
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(15));

        using var empty = await OkJsonAsync(await client.GetAsync("/api/streams/lp/partitions/0/records?from=next&waitMs=50"));
        Assert.Equal(0, empty.RootElement.GetProperty("records").GetArrayLength());
    }

    [Fact]
    public async Task GroupCommitsSurviveARestartAndOnlyTheOwnerMayCommit()
    {
        await using (var first = await TestBrokerHost.StartRealAsync(_dataDirectory))
        {
            var client = first.Client;
            Assert.Equal(HttpStatusCode.Created, (await client.PutAsync("/api/streams/jobs", Json("{\"partitions\":2}"))).StatusCode);
            for (var i = 0; i < 6; i++)
            {
                await client.PostAsync("/api/streams/jobs/records", Json($"{{\"payload\":\"j{i}\",\"partition\":{i % 2}}}"));
            }

            using var fetched = await OkJsonAsync(await client.PostAsync("/api/streams/jobs/groups/workers/fetch", Json("{\"max\":100}")));
            var member = fetched.RootElement.GetProperty("memberId").GetString()!;
            Assert.Equal([0, 1], fetched.RootElement.GetProperty("assignment").EnumerateArray().Select(a => a.GetInt32()));
            Assert.Equal(6, fetched.RootElement.GetProperty("records").GetArrayLength());

            using var committed = await OkJsonAsync(await client.PostAsync("/api/streams/jobs/groups/workers/commit", Json($"{{\"memberId\":\"{member}\",\"offsets\":[{{\"partition\":0,\"offset\":2}},{{\"partition\":1,\"offset\":3}}]}}")));
            Assert.Equal(1, committed.RootElement.GetProperty("totalLag").GetInt64());

            // A second member takes partition 1; the first may no longer commit it.
            using var second = await OkJsonAsync(await client.PostAsync("/api/streams/jobs/groups/workers/fetch", Json("{\"memberId\":\"second\"}")));
            Assert.Equal([1], second.RootElement.GetProperty("assignment").EnumerateArray().Select(a => a.GetInt32()));
            await AssertProblemAsync(await client.PostAsync("/api/streams/jobs/groups/workers/commit", Json($"{{\"memberId\":\"{member}\",\"offsets\":[{{\"partition\":1,\"offset\":3}}]}}")), HttpStatusCode.Conflict);
            await AssertProblemAsync(await client.PostAsync("/api/streams/jobs/groups/workers/commit", Json("{\"memberId\":\"second\",\"offsets\":[{\"partition\":1,\"offset\":99}]}")), HttpStatusCode.BadRequest);
            Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/streams/jobs/groups/workers/members/second")).StatusCode);
        }

        await using var restarted = await TestBrokerHost.StartRealAsync(_dataDirectory);
        using (var groups = await OkJsonAsync(await restarted.Client.GetAsync("/api/streams/jobs/groups")))
        {
            var group = Assert.Single(groups.RootElement.EnumerateArray());
            Assert.Equal("workers", group.GetProperty("group").GetString());
            Assert.Equal([2L, 3L], group.GetProperty("partitions").EnumerateArray().Select(p => p.GetProperty("committed").GetInt64()));
            Assert.Equal([1L, 0L], group.GetProperty("partitions").EnumerateArray().Select(p => p.GetProperty("lag").GetInt64()));
        }

        using var resumed = await OkJsonAsync(await restarted.Client.PostAsync("/api/streams/jobs/groups/workers/fetch", Json("{\"memberId\":\"again\"}")));
        Assert.Equal(["j4"], resumed.RootElement.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("message").GetProperty("payload").GetString()));

        var metrics = MetricsTests.Parse(await restarted.Client.GetStringAsync("/metrics"));
        Assert.Contains(metrics, m => m.Name == "edgebroker_stream_partition_end_offset" && m.Labels["stream"] == "jobs" && m.Labels["partition"] == "0" && m.Value == 3);
        Assert.Contains(metrics, m => m.Name == "edgebroker_stream_group_lag" && m.Labels["group"] == "workers" && m.Labels["partition"] == "0" && m.Value == 1);
        Assert.Contains(metrics, m => m.Name == "edgebroker_stream_partition_size_bytes" && m.Labels["stream"] == "jobs" && m.Value > 0);
    }

    [Fact]
    public async Task ConfiguredStreamsCaptureTopicsAndCanBeTruncatedAndDeleted()
    {
        await using var host = await TestBrokerHost.StartRealAsync(
            _dataDirectory,
            "--EdgeBroker:Streams:telemetry:Partitions=3",
            "--EdgeBroker:Streams:telemetry:Filters:0=sensors/#",
            "--EdgeBroker:Streams:telemetry:Partitioning=Topic");
        var client = host.Client;
        using (var stream = await OkJsonAsync(await client.GetAsync("/api/streams/telemetry")))
        {
            Assert.Equal(3, stream.RootElement.GetProperty("partitions").GetInt32());
            Assert.Equal("Topic", stream.RootElement.GetProperty("partitioning").GetString());
        }

        using (var bindings = await OkJsonAsync(await client.GetAsync("/api/bindings")))
        {
            Assert.Contains(bindings.RootElement.EnumerateArray(), b => b.GetProperty("target").GetString() == "telemetry" && b.GetProperty("pattern").GetString() == "sensors/#");
        }

        for (var i = 0; i < 4; i++)
        {
            await OkJsonAsync(await client.PostAsync("/api/publish", Json($"{{\"topic\":\"sensors/a\",\"payload\":\"{i}\"}}")));
        }

        var partition = Core.Streams.StreamPartitioner.PartitionFor("sensors/a", 3);
        using (var truncated = await OkJsonAsync(await client.PostAsync("/api/streams/telemetry/truncate", Json($"{{\"partition\":{partition},\"beforeOffset\":2}}"))))
        {
            Assert.Equal(2, truncated.RootElement.GetProperty("startOffsets")[partition].GetInt64());
        }

        using (var rest = await OkJsonAsync(await client.GetAsync($"/api/streams/telemetry/partitions/{partition}/records?offset=0")))
        {
            Assert.Equal([2L, 3L], rest.RootElement.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("offset").GetInt64()));
        }

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/streams/telemetry")).StatusCode);
        using (var bindings = await OkJsonAsync(await client.GetAsync("/api/bindings")))
        {
            Assert.DoesNotContain(bindings.RootElement.EnumerateArray(), b => b.GetProperty("target").GetString() == "telemetry");
        }

        using var unrouted = await OkJsonAsync(await client.PostAsync("/api/publish", Json("{\"topic\":\"sensors/a\",\"payload\":\"x\"}")));
        Assert.Equal("NoMatchingSubscribers", unrouted.RootElement.GetProperty("outcome").GetString());
    }

    [Fact]
    public void InvalidStreamConfigurationIsListedByTheValidator()
    {
        var options = new EdgeBrokerOptions();
        options.Streams["bad/name"] = new StreamSettings();
        options.Streams["ok"] = new StreamSettings { Partitions = 0 };
        options.Streams["fs"] = new StreamSettings { Fsync = "sometimes" };
        options.StreamGroups.SessionTimeoutMs = 1;

        var result = new EdgeBrokerOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Contains(failures, f => f.StartsWith("EdgeBroker:Streams:bad/name", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("EdgeBroker:Streams:ok", StringComparison.Ordinal) && f.Contains("Partitions", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("EdgeBroker:Streams:fs", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("EdgeBroker:StreamGroups:SessionTimeoutMs", StringComparison.Ordinal));
    }
}
