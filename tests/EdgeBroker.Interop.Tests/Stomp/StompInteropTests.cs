namespace EdgeBroker.Interop.Tests.Stomp;

using System.Net.Http.Json;
using System.Text.Json;

/// <summary>Real third-party STOMP clients (stomp.py over TCP, @stomp/stompjs over WebSocket) against the real broker process.</summary>
[Trait("Category", "Integration")]
public sealed class StompInteropTests(StompBrokerFixture fixture) : IClassFixture<StompBrokerFixture>
{
    private static List<(string Body, JsonElement Headers)> Messages(JsonElement result) =>
        [.. result.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("body").GetString()!, m.GetProperty("headers")))];

    private static string? Header(JsonElement headers, string name) => headers.TryGetProperty(name, out var v) ? v.GetString() : null;

    private static void AssertNoErrors(JsonElement result) => Assert.Empty(result.GetProperty("errors").EnumerateArray());

    [Fact]
    public async Task StompPyTopicWildcardSubscriberGetsRetainedThenLiveMessages()
    {
        await using var client = ExternalClient.StartPython("topic_wildcard.py", fixture.Host, fixture.Port);
        var result = await client.ResultAsync();

        AssertNoErrors(result);
        var messages = Messages(result);
        Assert.Equal(["19.0", "21.5", "23.0"], messages.Select(m => m.Body));
        Assert.Equal("true", Header(messages[0].Headers, "retained"));
        Assert.Equal("/topic/py/room2/temp", Header(messages[1].Headers, "destination"));
        Assert.Equal("C", Header(messages[1].Headers, "unit"));
        Assert.Equal("text/plain", Header(messages[1].Headers, "content-type"));
        Assert.Equal("temps", Header(messages[2].Headers, "subscription"));
        Assert.Empty(fixture.Broker.ErrorLines());
    }

    [Fact]
    public async Task StompPyQueueWithClientIndividualAcksRedeliversANackedMessage()
    {
        await using var client = ExternalClient.StartPython("queue_acks.py", fixture.Host, fixture.Port);
        var result = await client.ResultAsync();

        AssertNoErrors(result);
        var messages = Messages(result);
        Assert.Equal(["job-1", "job-2", "job-1"], messages.Select(m => m.Body));
        Assert.Equal("false", Header(messages[0].Headers, "redelivered"));
        Assert.Equal("true", Header(messages[2].Headers, "redelivered"));
        Assert.Equal("2", Header(messages[2].Headers, "delivery-count"));
        await AssertQueueSettledAsync("py-work");
    }

    [Fact]
    public async Task StompPyTransactionIsDeliveredOnlyAtCommitWithReceipts()
    {
        await using var client = ExternalClient.StartPython("transaction.py", fixture.Host, fixture.Port);
        var result = await client.ResultAsync();

        AssertNoErrors(result);
        Assert.Equal(0, result.GetProperty("before_commit").GetInt32());
        Assert.Equal(["tx-1", "tx-2", "after-quiet"], Messages(result).Select(m => m.Body));
        var receipts = result.GetProperty("receipts").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Contains("commit", receipts);
        Assert.Contains("late", receipts);
    }

    [Fact]
    public async Task HttpPublishReachesAStompPyTopicSubscriber()
    {
        await using var client = ExternalClient.StartPython("subscribe_wait.py", fixture.Host, fixture.Port, "/topic/http/+/state", "1");
        await client.WaitForLineAsync("READY", TimeSpan.FromSeconds(30));

        using var http = new HttpClient { BaseAddress = fixture.Broker.BaseAddress };
        var response = await http.PostAsJsonAsync("api/publish", new { topic = "http/door/state", payload = "open", contentType = "text/plain", headers = new Dictionary<string, string> { ["source"] = "http" } });
        response.EnsureSuccessStatusCode();

        var result = await client.ResultAsync();
        var message = Assert.Single(Messages(result));
        Assert.Equal("open", message.Body);
        Assert.Equal("/topic/http/door/state", Header(message.Headers, "destination"));
        Assert.Equal("http", Header(message.Headers, "source"));
        Assert.Equal("text/plain", Header(message.Headers, "content-type"));
    }

    [Fact]
    public async Task StompJsOverWebSocketPublishesSubscribesAndAcks()
    {
        await using var client = ExternalClient.StartNode("stomp/ws_pubsub.js", fixture.WebSocketUri.ToString());
        var result = await client.ResultAsync();

        AssertNoErrors(result);
        Assert.Equal("1.2", result.GetProperty("version").GetString());
        var topic = result.GetProperty("topic").EnumerateArray().ToList();
        Assert.Equal(["20.5", "22.0"], topic.Select(t => t.GetProperty("body").GetString()));
        Assert.All(topic, t => Assert.Equal("C", t.GetProperty("unit").GetString()));
        Assert.Equal([0, 1, 2, 0, 255], result.GetProperty("binary").EnumerateArray().Select(b => b.GetInt32()));
        Assert.Equal("js-r1", result.GetProperty("receipt").GetString());
        var queue = result.GetProperty("queue").EnumerateArray().Select(q => (q.GetProperty("body").GetString(), q.GetProperty("redelivered").GetString())).ToList();
        Assert.Equal([("job-a", "false"), ("job-b", "false"), ("job-a", "true")], queue);
    }

    [Fact]
    public async Task StompPyClientAckModeIsCumulativeAndTheRestIsRedelivered()
    {
        await using var client = ExternalClient.StartPython("queue_client_ack.py", fixture.Host, fixture.Port);
        var result = await client.ResultAsync();

        AssertNoErrors(result);
        Assert.Equal(["m0", "m1", "m2", "m3", "m4"], result.GetProperty("first").EnumerateArray().Select(m => m.GetProperty("body").GetString()));
        var second = Messages(result.GetProperty("second").EnumerateArray().ToList());
        Assert.Equal(["m3", "m4"], second.Select(m => m.Body));
        Assert.All(second, m => Assert.Equal("true", Header(m.Headers, "redelivered")));
        await AssertQueueSettledAsync("py-cumulative");
    }

    [Fact]
    public async Task StompPyPrefetchOneSendsWorkToTheConsumerThatIsFree()
    {
        await using var client = ExternalClient.StartPython("queue_prefetch.py", fixture.Host, fixture.Port);
        var result = await client.ResultAsync();

        AssertNoErrors(result);
        var slow = result.GetProperty("slow").EnumerateArray().Select(b => b.GetString()!).ToList();
        var fast = result.GetProperty("fast").EnumerateArray().Select(b => b.GetString()!).ToList();
        Assert.Single(slow);
        Assert.Equal(9, fast.Count);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => "job-" + i).Order(), slow.Concat(fast).Order());
        await AssertQueueSettledAsync("py-fair");
    }

    [Fact]
    public async Task StompPyNackedPastTheDeliveryLimitIsDeadLetteredWithItsReason()
    {
        await using var client = ExternalClient.StartPython("queue_dead_letter.py", fixture.Host, fixture.Port);
        var result = await client.ResultAsync();

        AssertNoErrors(result);
        Assert.Equal(2, result.GetProperty("deliveries").GetArrayLength());
        var dead = Assert.Single(Messages(result.GetProperty("dead").EnumerateArray().ToList()));
        Assert.Equal("poison", dead.Body);
        Assert.Equal("delivery-limit", Header(dead.Headers, "x-death-reason"));
        Assert.Equal("py-poison", Header(dead.Headers, "x-original-queue"));
        await AssertQueueSettledAsync("py-poison");
    }

    [Fact]
    public async Task StompPyHeartbeatsKeepASilentConnectionAliveBothWays()
    {
        await using var client = ExternalClient.StartPython("heartbeats.py", fixture.Host, fixture.Port);
        var result = await client.ResultAsync();

        AssertNoErrors(result);
        Assert.Equal(0, result.GetProperty("disconnects").GetInt32());
        // 3 s of silence at a 500 ms to 1 s rhythm is about 3 to 6 beats; on a loaded machine fewer arrive in time, so
        // the check is that beats came at all and the connection survived (disconnects 0 above).
        Assert.InRange(result.GetProperty("beats").GetInt32(), 1, 100);
        Assert.Equal(["still-here"], result.GetProperty("messages").EnumerateArray().Select(b => b.GetString()));
    }

    private static List<(string Body, JsonElement Headers)> Messages(List<JsonElement> frames) =>
        [.. frames.Select(m => (m.GetProperty("body").GetString()!, m.GetProperty("headers")))];

    private async Task AssertQueueSettledAsync(string name)
    {
        using var http = new HttpClient { BaseAddress = fixture.Broker.BaseAddress };
        var queue = await http.GetFromJsonAsync<JsonElement>("api/queues/" + name);
        Assert.Equal(0, queue.GetProperty("ready").GetInt64());
        Assert.Equal(0, queue.GetProperty("unacked").GetInt64());
    }
}
