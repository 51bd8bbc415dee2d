namespace EdgeBroker.Server.Tests.Hub;

using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using EdgeBroker.Core.Security;
using EdgeBroker.Server.Hub.Contracts;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

/// <summary>The hub over the real composition on a TestServer, driven by the .NET SignalR client (long polling through the test handler).</summary>
[Trait("Category", "Integration")]
public sealed class BrokerHubTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private readonly string _dir = Directory.CreateTempSubdirectory("eb-hub-").FullName;

    public void Dispose() => TestBrokerHost.TryDelete(_dir);

    private Task<TestBrokerHost> StartAsync(params string[] args) =>
        TestBrokerHost.StartRealAsync(Path.Combine(_dir, "data"), ["--EdgeBroker:Streams:tele:Filters:0=sensors/#", .. args]);

    private static HubConnection Connect(TestBrokerHost host, string? credentials = null)
    {
        var server = (TestServer)host.Services.GetRequiredService<IServer>();
        return new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, "hubs/broker"), options =>
            {
                options.Transports = HttpTransportType.LongPolling;
                options.HttpMessageHandlerFactory = _ => server.CreateHandler();
                if (credentials is not null)
                {
                    options.Headers["Authorization"] = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials));
                }
            })
            .Build();
    }

    private static Channel<HubMessage> Messages(HubConnection connection)
    {
        var channel = Channel.CreateUnbounded<HubMessage>();
        connection.On<HubMessage>("message", m => channel.Writer.TryWrite(m));
        return channel;
    }

    private static async Task<T> NextAsync<T>(Channel<T> channel)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        return await channel.Reader.ReadAsync(timeout.Token);
    }

    [Fact]
    public async Task PublishesOverTheMessageRateWaitForTheirTurnAndAreAllAccepted()
    {
        await using var host = await StartAsync("--EdgeBroker:Limits:PublishMessagesPerSecond=1", "--EdgeBroker:Limits:PublishBurstMessages=1");
        await using var connection = Connect(host);
        await connection.StartAsync();

        // Sent together: the hub runs one invocation at a time per connection, so the 2nd and 3rd queue right behind
        // the 1st and must wait for their tokens however slow the round trips are.
        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => connection.InvokeAsync<HubPublishResult>("publish", new HubPublishRequest { Topic = "sensors/rate", Payload = "x", Qos = 1 })));

        Assert.All(results, r => Assert.Equal("Accepted", r.Outcome));
        Assert.InRange(host.Services.GetRequiredService<EdgeBroker.Core.Limits.PublishLimits>().RateHeld, 1, 2);
    }

    [Fact]
    public async Task PublishFailsWithTheReasonWhileTheMemoryAlarmIsOn()
    {
        await using var host = await StartAsync("--EdgeBroker:Limits:MemoryHighWatermarkFraction=0"); // only the test raises the alarm
        await using var connection = Connect(host);
        await connection.StartAsync();
        var alarms = host.Services.GetRequiredService<EdgeBroker.Server.Hosting.BrokerAccessor>().Alarms;
        alarms.RaiseMemoryAlarm("memory alarm: test");

        var refused = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<HubPublishResult>("publish", new HubPublishRequest { Topic = "sensors/t", Payload = "x" }));
        Assert.Contains("memory alarm: test", refused.Message, StringComparison.Ordinal);

        alarms.ClearMemoryAlarm();
        Assert.Equal("Accepted", (await connection.InvokeAsync<HubPublishResult>("publish", new HubPublishRequest { Topic = "sensors/t", Payload = "x", Qos = 1 })).Outcome);
    }

    [Fact]
    public async Task SubscriberGetsRetainedFirstThenLiveMessagesFromOtherProtocols()
    {
        await using var host = await StartAsync();
        await using var publisher = Connect(host);
        await publisher.StartAsync();
        var retained = await publisher.InvokeAsync<HubPublishResult>("publish", new HubPublishRequest { Topic = "room/1/temp", Payload = "20.5", Retain = true, Qos = 1 });
        Assert.Equal("Accepted", retained.Outcome); // the retained store is a durable target

        await using var subscriber = Connect(host);
        var messages = Messages(subscriber);
        await subscriber.StartAsync();
        var id = await subscriber.InvokeAsync<string>("subscribe", "room/#");

        var first = await NextAsync(messages);
        Assert.Equal((id, "room/1/temp", "20.5", "text", true, "signalr"), (first.SubscriptionId, first.Topic, first.Payload, first.Encoding, first.Retained, first.Protocol));

        using var body = new StringContent("{\"topic\":\"room/2/temp\",\"payloadBase64\":\"AP8=\",\"headers\":{\"unit\":\"C\"}}", Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.OK, (await host.Client.PostAsync("/api/publish", body)).StatusCode);
        var live = await NextAsync(messages);
        Assert.Equal(("room/2/temp", "AP8=", "base64", false, "http", "C"), (live.Topic, live.Payload, live.Encoding, live.Retained, live.Protocol, live.Headers["unit"]));

        await subscriber.InvokeAsync("unsubscribe", id);
        var after = await publisher.InvokeAsync<HubPublishResult>("publish", new HubPublishRequest { Topic = "room/3/temp", Payload = "x" });
        Assert.Equal("NoMatchingSubscribers", after.Outcome);
    }

    [Fact]
    public async Task InvalidFiltersAndPayloadsAreHubErrors()
    {
        await using var host = await StartAsync();
        await using var connection = Connect(host);
        await connection.StartAsync();
        var filter = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<string>("subscribe", "a/#/b"));
        Assert.Contains("invalid filter", filter.Message, StringComparison.Ordinal);
        var payload = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<HubPublishResult>("publish", new HubPublishRequest { Topic = "a", Payload = "%%", Encoding = "base64" }));
        Assert.Contains("invalid payload", payload.Message, StringComparison.Ordinal);
        var topic = await connection.InvokeAsync<HubPublishResult>("publish", new HubPublishRequest { Topic = "a/+", Payload = "x" });
        Assert.Equal("InvalidTopic", topic.Outcome);
    }

    [Fact]
    public async Task ReadStreamReturnsHistoryAndFollowStreamSendsNewRecords()
    {
        await using var host = await StartAsync();
        await using var connection = Connect(host);
        var records = Channel.CreateUnbounded<HubStreamRecord>();
        connection.On<HubStreamRecord>("streamRecord", r => records.Writer.TryWrite(r));
        await connection.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            var result = await connection.InvokeAsync<HubPublishResult>("publish", new HubPublishRequest { Topic = "sensors/t", Payload = (20 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), Qos = 1 });
            Assert.Equal("Accepted", result.Outcome); // stored in the stream (a durable target)
        }

        var history = await connection.InvokeAsync<List<HubStreamRecord>>("readStream", new HubStreamRequest { Stream = "tele", Max = 2 });
        Assert.Equal([(0L, "20"), (1L, "21")], history.Select(r => (r.Offset, r.Payload)));
        var fromOffset = await connection.InvokeAsync<List<HubStreamRecord>>("readStream", new HubStreamRequest { Stream = "tele", From = "offset", Offset = 2 });
        Assert.Equal(["22"], fromOffset.Select(r => r.Payload));

        var id = await connection.InvokeAsync<string>("followStream", new HubStreamRequest { Stream = "tele", From = "last" });
        var last = await NextAsync(records);
        Assert.Equal((id, 2L, "22"), (last.SubscriptionId, last.Offset, last.Payload));
        await connection.InvokeAsync<HubPublishResult>("publish", new HubPublishRequest { Topic = "sensors/t", Payload = "23", Qos = 1 });
        var next = await NextAsync(records);
        Assert.Equal((3L, "23", "tele"), (next.Offset, next.Payload, next.Stream));

        var unknown = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<List<HubStreamRecord>>("readStream", new HubStreamRequest { Stream = "nope" }));
        Assert.Contains("unknown stream", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatsClientListAndMetricsCountTheConnectionAndAnOperatorCanCloseIt()
    {
        await using var host = await StartAsync();
        await using var connection = Connect(host);
        var stats = Channel.CreateUnbounded<HubStats>();
        connection.On<HubStats>("stats", s => stats.Writer.TryWrite(s));
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        await connection.StartAsync();
        await connection.InvokeAsync<string>("subscribe", "a/#");
        var watch = await connection.InvokeAsync<string>("watchStats");
        var first = await NextAsync(stats);
        Assert.Equal((watch, 1), (first.SubscriptionId, first.Connections.Signalr));
        Assert.Contains(first.Streams, s => s.Name == "tele" && s.Partitions == s.EndOffsets.Count);

        using var clients = JsonDocument.Parse(await host.Client.GetStringAsync("/api/clients"));
        var hubClient = Assert.Single(clients.RootElement.EnumerateArray(), c => c.GetProperty("protocol").GetString() == "signalr");
        Assert.Equal(2, hubClient.GetProperty("subscriptions").GetInt32()); // the subscription and the stats watch
        var metrics = MetricsTests.Parse(await host.Client.GetStringAsync("/metrics"));
        Assert.Equal(1, metrics.Single(m => m.Name == "edgebroker_connections" && m.Labels["protocol"] == "signalr").Value);
        Assert.Contains(metrics, m => m.Name == "edgebroker_signalr_dropped_total");

        var clientId = hubClient.GetProperty("clientId").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await host.Client.DeleteAsync($"/api/clients/signalr/{clientId}")).StatusCode);
        await closed.Task.WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.DeleteAsync($"/api/clients/signalr/{clientId}")).StatusCode);
    }

    [Fact]
    public async Task WithoutAnonymousAccessTheHubNeedsValidCredentials()
    {
        var users = Path.Combine(_dir, "users");
        UserFile.SetPassword(users, "alice", "pw", iterations: 1000);
        await using var host = await StartAsync("--EdgeBroker:Security:UsersFile=" + users, "--EdgeBroker:Security:AllowAnonymous=false");

        await using var anonymous = Connect(host);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        await using var wrong = Connect(host, "alice:nope");
        Assert.Equal(HttpStatusCode.Unauthorized, (await Assert.ThrowsAsync<HttpRequestException>(() => wrong.StartAsync())).StatusCode);

        await using var alice = Connect(host, "alice:pw");
        await alice.StartAsync();
        Assert.StartsWith("s", await alice.InvokeAsync<string>("subscribe", "a/#"), StringComparison.Ordinal);
    }
}
