namespace EdgeBroker.Server.Tests;

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

[Trait("Category", "Integration")]
public sealed class HttpApiTests
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task PublishedMessagesReachABoundQueueAndComeBackByteExact()
    {
        await using var host = await TestBrokerHost.StartAsync();
        var client = host.Client;
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync("/api/queues/orders", Json("{\"maxLength\": 100}"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/bindings", Json("{\"exchange\":\"amq.topic\",\"pattern\":\"orders/+\",\"queue\":\"orders\"}"))).StatusCode);
        byte[] binary = [0, 255, 1, 254, 0x80];

        var text = await client.PostAsync("/api/publish", Json("{\"topic\":\"orders/1\",\"payload\":\"héllo\",\"contentType\":\"text/plain\",\"headers\":{\"h\":\"v\"},\"key\":\"k1\"}"));
        var bin = await client.PostAsync("/api/publish", Json($"{{\"topic\":\"orders/2\",\"payloadBase64\":\"{Convert.ToBase64String(binary)}\"}}"));
        var unrouted = await client.PostAsync("/api/publish", Json("{\"topic\":\"other/1\",\"payload\":\"x\"}"));

        Assert.Equal(HttpStatusCode.OK, text.StatusCode);
        using (var ack = JsonDocument.Parse(await text.Content.ReadAsStringAsync()))
        {
            Assert.Equal("Accepted", ack.RootElement.GetProperty("outcome").GetString());
            Assert.Equal(1, ack.RootElement.GetProperty("durableTargets").GetInt32());
        }

        Assert.Equal(HttpStatusCode.OK, bin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unrouted.StatusCode);
        Assert.Contains("NoMatchingSubscribers", await unrouted.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using (var stats = JsonDocument.Parse(await client.GetStringAsync("/api/queues/orders")))
        {
            Assert.Equal(2, stats.RootElement.GetProperty("ready").GetInt64());
        }

        using (var peek = JsonDocument.Parse(await client.GetStringAsync("/api/queues/orders/messages?count=10")))
        {
            Assert.Equal(2, peek.RootElement.GetArrayLength());
        }

        var fetched = await client.PostAsync("/api/queues/orders/get?count=10", null);
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        using (var messages = JsonDocument.Parse(await fetched.Content.ReadAsStringAsync()))
        {
            var first = messages.RootElement[0];
            Assert.Equal("orders/1", first.GetProperty("topic").GetString());
            Assert.Equal("héllo", first.GetProperty("payload").GetString());
            Assert.Equal(Encoding.UTF8.GetBytes("héllo"), Convert.FromBase64String(first.GetProperty("payloadBase64").GetString()!));
            Assert.Equal("text/plain", first.GetProperty("contentType").GetString());
            Assert.Equal("k1", first.GetProperty("key").GetString());
            Assert.Equal("h", first.GetProperty("headers")[0].GetProperty("name").GetString());

            var second = messages.RootElement[1];
            Assert.Equal(binary, Convert.FromBase64String(second.GetProperty("payloadBase64").GetString()!));
            Assert.Equal(JsonValueKind.Null, second.GetProperty("payload").ValueKind);
        }

        using var after = JsonDocument.Parse(await client.GetStringAsync("/api/queues/orders"));
        Assert.Equal(0, after.RootElement.GetProperty("ready").GetInt64());
    }

    [Fact]
    public async Task PublishStraightToAQueueAndPurgeIt()
    {
        await using var host = await TestBrokerHost.StartAsync();
        var client = host.Client;

        for (var i = 0; i < 3; i++)
        {
            var response = await client.PostAsync("/api/publish", Json($"{{\"queue\":\"jobs\",\"payload\":\"{i}\"}}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var purge = await client.PostAsync("/api/queues/jobs/purge", null);
        using var body = JsonDocument.Parse(await purge.Content.ReadAsStringAsync());
        Assert.Equal(3, body.RootElement.GetProperty("purged").GetInt64());
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/queues/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/queues/jobs")).StatusCode);
    }

    [Fact]
    public async Task ExchangesCanBeDeclaredListedAndDeletedButNotTheDefault()
    {
        await using var host = await TestBrokerHost.StartAsync();
        var client = host.Client;

        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync("/api/exchanges/events", Json("{\"type\":\"Fanout\"}"))).StatusCode);
        var conflict = await client.PutAsync("/api/exchanges/events", Json("{\"type\":\"Direct\"}"));
        using (var one = JsonDocument.Parse(await client.GetStringAsync("/api/exchanges/events")))
        {
            Assert.Equal("Fanout", one.RootElement.GetProperty("type").GetString());
        }

        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.DeleteAsync("/api/exchanges/amq.topic")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/exchanges/events")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/exchanges/events")).StatusCode);
    }

    [Fact]
    public async Task BindingsCanBeRemovedWithTheSameBody()
    {
        await using var host = await TestBrokerHost.StartAsync();
        var client = host.Client;
        const string binding = "{\"pattern\":\"a/#\",\"queue\":\"qa\"}";
        await client.PostAsync("/api/bindings", Json(binding));

        var list = await client.GetFromJsonAsync<JsonElement>("/api/bindings");
        Assert.Equal(1, list.GetArrayLength());
        Assert.Equal("amq.topic", list[0].GetProperty("exchange").GetString());

        using var delete = new HttpRequestMessage(HttpMethod.Delete, "/api/bindings") { Content = Json(binding) };
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(delete)).StatusCode);
        Assert.Empty(host.Broker.Topology.Bindings);
    }

    [Fact]
    public async Task OverviewCountsWhatWasPublished()
    {
        await using var host = await TestBrokerHost.StartAsync();
        await host.Client.PostAsync("/api/publish", Json("{\"queue\":\"q1\",\"payload\":\"abcd\"}"));

        using var overview = JsonDocument.Parse(await host.Client.GetStringAsync("/api/overview"));

        Assert.Equal(1, overview.RootElement.GetProperty("messagesIn").GetInt64());
        Assert.Equal(4, overview.RootElement.GetProperty("bytesIn").GetInt64());
        Assert.Equal("always", overview.RootElement.GetProperty("fsync").GetString());
        Assert.Equal(1, overview.RootElement.GetProperty("readyMessages").GetInt64());
    }

    [Fact]
    public async Task ServesTheOpenApiDocument()
    {
        await using var host = await TestBrokerHost.StartAsync();

        var response = await host.Client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = doc.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/publish", out _));
        Assert.True(paths.TryGetProperty("/api/queues/{name}/get", out _));
    }
}
