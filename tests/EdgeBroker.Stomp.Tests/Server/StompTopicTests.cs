namespace EdgeBroker.Stomp.Tests.Server;

using System.Text;
using EdgeBroker.Core.Messages;
using EdgeBroker.Stomp.Codec;

[Trait("Category", "Conformance")]
public sealed class StompTopicTests
{
    [Fact]
    public async Task SendToATopicReachesAWildcardSubscriberWithMessageHeaders()
    {
        await using var broker = new StompTestBroker();
        await using var sub = await broker.ConnectedAsync("sub");
        await using var pub = await broker.ConnectedAsync("pub");
        await sub.SendAsync("SUBSCRIBE", [("id", "s1"), ("destination", "/topic/sensors/+/temp"), ("receipt", "r1")]);
        await sub.ExpectAsync(StompCommand.Receipt);

        await pub.SendAsync("SEND", [("destination", "/topic/sensors/a/temp"), ("content-type", "text/plain"), ("unit", "C"), ("receipt", "p1")], "21.5");
        Assert.Equal("p1", (await pub.ExpectAsync(StompCommand.Receipt)).Get("receipt-id"));

        var message = await sub.ExpectAsync(StompCommand.Message);
        Assert.Equal("s1", message.Get("subscription"));
        Assert.Equal("/topic/sensors/a/temp", message.Get("destination"));
        Assert.Equal("text/plain", message.Get("content-type"));
        Assert.Equal("4", message.Get("content-length"));
        Assert.Equal("C", message.Get("unit"));
        Assert.False(string.IsNullOrEmpty(message.Get("message-id")));
        Assert.Equal("21.5", Encoding.UTF8.GetString(message.Body.Span));
    }

    [Fact]
    public async Task ACoreTopicPublishReachesAStompSubscriberAndBack()
    {
        await using var broker = new StompTestBroker();
        await using var sub = await broker.ConnectedAsync();
        await sub.SendAsync("SUBSCRIBE", [("id", "all"), ("destination", "/topic/a/#"), ("receipt", "r")]);
        await sub.ExpectAsync(StompCommand.Receipt);

        await broker.PublishAsync("a/b/c", "from-mqtt");
        var message = await sub.ExpectAsync(StompCommand.Message);
        Assert.Equal("/topic/a/b/c", message.Get("destination"));
        Assert.Equal("from-mqtt", Encoding.UTF8.GetString(message.Body.Span));
    }

    [Fact]
    public async Task RetainedValuesOfEveryMatchingTopicArriveFirstMarkedRetained()
    {
        await using var broker = new StompTestBroker();
        await broker.PublishAsync("room/1/temp", "20", retain: true);
        await broker.PublishAsync("room/2/temp", "22", retain: true);
        await broker.PublishAsync("room/2/humidity", "40", retain: true);
        await using var sub = await broker.ConnectedAsync();
        await sub.SendAsync("SUBSCRIBE", [("id", "d"), ("destination", "/topic/room/+/temp")]);

        var first = await sub.ExpectAsync(StompCommand.Message);
        var second = await sub.ExpectAsync(StompCommand.Message);
        var bodies = new[] { first, second }.Select(m => Encoding.UTF8.GetString(m.Body.Span)).Order().ToArray();
        Assert.Equal(["20", "22"], bodies);
        Assert.All(new[] { first, second }, m => Assert.Equal("true", m.Get("retained")));

        await broker.PublishAsync("room/1/temp", "21");
        var live = await sub.ExpectAsync(StompCommand.Message);
        Assert.Null(live.Get("retained"));
    }

    [Fact]
    public async Task SendWithRetainSetsTheLastValue()
    {
        await using var broker = new StompTestBroker();
        await using var pub = await broker.ConnectedAsync();
        await pub.SendAsync("SEND", [("destination", "/topic/state/door"), ("retain", "true"), ("receipt", "r")], "open");
        await pub.ExpectAsync(StompCommand.Receipt);
        await using var late = await broker.ConnectedAsync("late");
        await late.SendAsync("SUBSCRIBE", [("id", "x"), ("destination", "/topic/state/#")]);
        var message = await late.ExpectAsync(StompCommand.Message);
        Assert.Equal("open", Encoding.UTF8.GetString(message.Body.Span));
        Assert.Equal("true", message.Get("retained"));
    }

    [Fact]
    public async Task SendToAWildcardIsRefusedWithTheReceiptId()
    {
        await using var broker = new StompTestBroker();
        await using var client = await broker.ConnectedAsync();
        await client.SendAsync("SEND", [("destination", "/topic/a/+"), ("receipt", "bad-1")], "x");
        var error = await client.ExpectAsync(StompCommand.Error);
        Assert.Equal("bad-1", error.Get("receipt-id"));
        Assert.Equal("cannot SEND to a wildcard destination", error.Get("message"));
        Assert.True(await client.WaitClosedAsync());
    }

    [Fact]
    public async Task BinaryBodiesWithNulBytesStayByteExact()
    {
        await using var broker = new StompTestBroker();
        await using var sub = await broker.ConnectedAsync("sub");
        await sub.SendAsync("SUBSCRIBE", [("id", "b"), ("destination", "/topic/bin"), ("receipt", "r")]);
        await sub.ExpectAsync(StompCommand.Receipt);
        await using var pub = await broker.ConnectedAsync("pub");
        byte[] payload = [0, 1, 2, 0, 255, 254, 0];
        await pub.SendBytesFrameAsync("SEND", [("destination", "/topic/bin")], payload);

        var message = await sub.ExpectAsync(StompCommand.Message);
        Assert.Equal(payload, message.Body.ToArray());
        Assert.Equal("7", message.Get("content-length"));
    }

    [Fact]
    public async Task UnsubscribeStopsDelivery()
    {
        await using var broker = new StompTestBroker();
        await using var sub = await broker.ConnectedAsync();
        await sub.SendAsync("SUBSCRIBE", [("id", "1"), ("destination", "/topic/t")]);
        await sub.SendAsync("SUBSCRIBE", [("id", "2"), ("destination", "/topic/u")]);
        await sub.SendAsync("UNSUBSCRIBE", [("id", "1"), ("receipt", "u")]);
        await sub.ExpectAsync(StompCommand.Receipt);

        await broker.PublishAsync("t", "gone");
        await broker.PublishAsync("u", "kept");
        var message = await sub.ExpectAsync(StompCommand.Message);
        Assert.Equal("2", message.Get("subscription"));
        Assert.Equal("kept", Encoding.UTF8.GetString(message.Body.Span));
    }

    [Fact]
    public async Task TwoSubscriptionsMatchingOneTopicGetOneMessageEach()
    {
        await using var broker = new StompTestBroker();
        await using var sub = await broker.ConnectedAsync();
        await sub.SendAsync("SUBSCRIBE", [("id", "x"), ("destination", "/topic/k/#")]);
        await sub.SendAsync("SUBSCRIBE", [("id", "y"), ("destination", "/topic/k/v"), ("receipt", "r")]);
        await sub.ExpectAsync(StompCommand.Receipt);
        await broker.PublishAsync("k/v", "1");
        var ids = new[] { await sub.ExpectAsync(StompCommand.Message), await sub.ExpectAsync(StompCommand.Message) }.Select(m => m.Get("subscription")!).Order().ToArray();
        Assert.Equal(["x", "y"], ids);
    }

    [Fact]
    public async Task MapsReplyToCorrelationIdAndExpiresOntoTheMessage()
    {
        await using var broker = new StompTestBroker();
        var received = new TaskCompletionSource<Message>();
        using var probe = broker.Api.Subscribe(new ProbeSubscriber(received), "req/x", new Core.Routing.SubscriptionOptions(), sendRetained: false);
        await using var pub = await broker.ConnectedAsync();
        var expires = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeMilliseconds();
        await pub.SendAsync("SEND", [("destination", "/topic/req/x"), ("reply-to", "/topic/resp/x"), ("correlation-id", "c-42"), ("expires", expires.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("content-type", "application/json")], "{}");

        var message = await received.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("resp/x", message.ResponseTopic);
        Assert.Equal("c-42", Encoding.UTF8.GetString(message.CorrelationData.Span));
        Assert.Equal("application/json", message.ContentType);
        Assert.Equal(PayloadFormat.Utf8, message.PayloadFormat);
        Assert.InRange(message.ExpiryInterval!.Value.TotalMinutes, 4, 5.01);
        Assert.Equal(ProtocolKind.Stomp, message.Origin.Protocol);
    }

    private sealed class ProbeSubscriber(TaskCompletionSource<Message> received) : Core.Routing.ISubscriber
    {
        public Core.Security.ClientIdentity Client { get; } = new(ProtocolKind.Internal, "probe", null, null);

        public bool TryDeliver(Message message, ReadOnlySpan<Core.Routing.ISubscription> matched, bool isRetained)
        {
            received.TrySetResult(message);
            return true;
        }
    }
}
