namespace EdgeBroker.Stomp.Tests.Server;

using System.Text;
using EdgeBroker.Stomp.Codec;

[Trait("Category", "Conformance")]
public sealed class StompQueueTests
{
    private static string Body(StompFrame frame) => Encoding.UTF8.GetString(frame.Body.Span);

    private static async Task SendAllAsync(StompTestClient client, string destination, params string[] bodies)
    {
        foreach (var body in bodies)
        {
            await client.SendAsync("SEND", [("destination", destination), ("receipt", "r-" + body)], body);
            Assert.Equal("r-" + body, (await client.ExpectAsync(StompCommand.Receipt)).Get("receipt-id"));
        }
    }

    /// <summary>A SEND's RECEIPT and the MESSAGE it caused, in whichever order they arrive; returns the MESSAGE.</summary>
    private static async Task<StompFrame> ReceiptAndMessageAsync(StompTestClient client)
    {
        var frames = new[] { await client.ReceiveAsync(), await client.ReceiveAsync() };
        Assert.Single(frames, f => f.Command == StompCommand.Receipt);
        return Assert.Single(frames, f => f.Command == StompCommand.Message);
    }

    [Fact]
    public async Task SendToAQueueIsReceiptedAfterItIsStoredAndDeliveredToAConsumer()
    {
        await using var broker = new StompTestBroker();
        await using var producer = await broker.ConnectedAsync("p");
        await SendAllAsync(producer, "/queue/jobs", "a", "b");
        Assert.Equal(2, broker.Api.Topology.GetQueue("jobs")!.Ready);

        await using var consumer = await broker.ConnectedAsync("c");
        await consumer.SendAsync("SUBSCRIBE", [("id", "q"), ("destination", "/queue/jobs")]);
        var first = await consumer.ExpectAsync(StompCommand.Message);
        var second = await consumer.ExpectAsync(StompCommand.Message);
        Assert.Equal(["a", "b"], [Body(first), Body(second)]);
        Assert.Equal("/queue/jobs", first.Get("destination"));
        Assert.Equal("false", first.Get("redelivered"));
        Assert.Equal("true", first.Get("persistent"));
        Assert.Null(first.Get("ack")); // ack:auto
    }

    [Fact]
    public async Task AutoAckRemovesMessagesOnceWritten()
    {
        await using var broker = new StompTestBroker();
        await using var client = await broker.ConnectedAsync();
        await SendAllAsync(client, "/queue/auto", "1", "2", "3");
        await client.SendAsync("SUBSCRIBE", [("id", "q"), ("destination", "/queue/auto"), ("ack", "auto")]);
        for (var i = 0; i < 3; i++)
        {
            await client.ExpectAsync(StompCommand.Message);
        }

        await Poll.UntilAsync(() => broker.Api.Topology.GetQueue("auto") is { Ready: 0, Unacked: 0 });
    }

    [Fact]
    public async Task ClientIndividualAckSettlesOneMessageAndNackRedeliversIt()
    {
        await using var broker = new StompTestBroker();
        await using var client = await broker.ConnectedAsync();
        await SendAllAsync(client, "/queue/work", "m1", "m2");
        await client.SendAsync("SUBSCRIBE", [("id", "w"), ("destination", "/queue/work"), ("ack", "client-individual")]);
        var m1 = await client.ExpectAsync(StompCommand.Message);
        var m2 = await client.ExpectAsync(StompCommand.Message);
        Assert.NotNull(m1.Get("ack"));

        await client.SendAsync("ACK", [("id", m2.Get("ack")!), ("receipt", "a")]);
        await client.ExpectAsync(StompCommand.Receipt);
        await client.SendAsync("NACK", [("id", m1.Get("ack")!)]);

        var again = await client.ExpectAsync(StompCommand.Message);
        Assert.Equal("m1", Body(again));
        Assert.Equal("true", again.Get("redelivered"));
        Assert.Equal("2", again.Get("delivery-count"));
        await client.SendAsync("ACK", [("id", again.Get("ack")!), ("receipt", "b")]);
        await client.ExpectAsync(StompCommand.Receipt);
        await Poll.UntilAsync(() => broker.Api.Topology.GetQueue("work") is { Ready: 0, Unacked: 0 });
    }

    [Fact]
    public async Task ClientAckIsCumulative()
    {
        await using var broker = new StompTestBroker();
        await using var client = await broker.ConnectedAsync();
        await SendAllAsync(client, "/queue/cum", "1", "2", "3");
        await client.SendAsync("SUBSCRIBE", [("id", "c"), ("destination", "/queue/cum"), ("ack", "client")]);
        await client.ExpectAsync(StompCommand.Message);
        var second = await client.ExpectAsync(StompCommand.Message);
        await client.ExpectAsync(StompCommand.Message);

        await client.SendAsync("ACK", [("id", second.Get("ack")!), ("receipt", "a")]);
        await client.ExpectAsync(StompCommand.Receipt);
        await Poll.UntilAsync(() => broker.Api.Topology.GetQueue("cum") is { Unacked: 1 });
    }

    [Fact]
    public async Task NackWithoutRequeueDeadLettersToTheDlq()
    {
        await using var broker = new StompTestBroker();
        await using var client = await broker.ConnectedAsync();
        await SendAllAsync(client, "/queue/orders", "bad");
        await client.SendAsync("SUBSCRIBE", [("id", "o"), ("destination", "/queue/orders"), ("ack", "client-individual")]);
        var message = await client.ExpectAsync(StompCommand.Message);
        await client.SendAsync("NACK", [("id", message.Get("ack")!), ("requeue", "false"), ("receipt", "n")]);
        await client.ExpectAsync(StompCommand.Receipt);

        await client.SendAsync("SUBSCRIBE", [("id", "dlq"), ("destination", "/queue/orders.dlq")]);
        var dead = await client.ExpectAsync(StompCommand.Message);
        Assert.Equal("bad", Body(dead));
        Assert.Equal("rejected", dead.Get("x-death-reason"));
    }

    [Fact]
    public async Task PrefetchSpreadsMessagesFairlyOverTwoConsumers()
    {
        await using var broker = new StompTestBroker();
        await using var producer = await broker.ConnectedAsync("p");
        await using var c1 = await broker.ConnectedAsync("c1");
        await using var c2 = await broker.ConnectedAsync("c2");
        await c1.SendAsync("SUBSCRIBE", [("id", "a"), ("destination", "/queue/fair"), ("ack", "client-individual"), ("prefetch-count", "1"), ("receipt", "r")]);
        await c1.ExpectAsync(StompCommand.Receipt);
        await c2.SendAsync("SUBSCRIBE", [("id", "b"), ("destination", "/queue/fair"), ("ack", "client-individual"), ("prefetch-count", "1"), ("receipt", "r")]);
        await c2.ExpectAsync(StompCommand.Receipt);
        await SendAllAsync(producer, "/queue/fair", "1", "2", "3", "4");

        // Each holds one unacked message; the rest waits in the queue.
        var first1 = await c1.ExpectAsync(StompCommand.Message);
        var first2 = await c2.ExpectAsync(StompCommand.Message);
        await Poll.UntilAsync(() => broker.Api.Topology.GetQueue("fair") is { Ready: 2, Unacked: 2 });

        await c1.SendAsync("ACK", [("id", first1.Get("ack")!)]);
        var next1 = await c1.ExpectAsync(StompCommand.Message);
        await c2.SendAsync("ACK", [("id", first2.Get("ack")!)]);
        var next2 = await c2.ExpectAsync(StompCommand.Message);
        Assert.Equal(["1", "2", "3", "4"], new[] { first1, first2, next1, next2 }.Select(Body).Order().ToArray());
    }

    [Fact]
    public async Task UnackedMessagesAreRedeliveredToAnotherConsumerWhenTheConnectionDrops()
    {
        await using var broker = new StompTestBroker();
        var first = await broker.ConnectedAsync("first");
        await SendAllAsync(first, "/queue/handover", "x");
        await first.SendAsync("SUBSCRIBE", [("id", "h"), ("destination", "/queue/handover"), ("ack", "client-individual")]);
        await first.ExpectAsync(StompCommand.Message);
        await first.DisposeAsync(); // gone without ACK

        await using var second = await broker.ConnectedAsync("second");
        await second.SendAsync("SUBSCRIBE", [("id", "h"), ("destination", "/queue/handover"), ("ack", "client-individual")]);
        var again = await second.ExpectAsync(StompCommand.Message);
        Assert.Equal("x", Body(again));
        Assert.Equal("true", again.Get("redelivered"));
    }

    [Fact]
    public async Task Stomp11AcksByMessageId()
    {
        await using var broker = new StompTestBroker();
        await using var client = broker.Connect();
        client.Version = StompVersion.V11;
        await client.SendAsync("CONNECT", [("accept-version", "1.1"), ("host", "/")]);
        await client.ExpectAsync(StompCommand.Connected);
        await SendAllAsync(client, "/queue/v11", "a");
        await client.SendAsync("SUBSCRIBE", [("id", "s"), ("destination", "/queue/v11"), ("ack", "client")]);
        var message = await client.ExpectAsync(StompCommand.Message);
        Assert.Null(message.Get("ack"));
        await client.SendAsync("ACK", [("subscription", "s"), ("message-id", message.Get("message-id")!), ("receipt", "k")]);
        await client.ExpectAsync(StompCommand.Receipt);
        await Poll.UntilAsync(() => broker.Api.Topology.GetQueue("v11") is { Ready: 0, Unacked: 0 });
    }

    [Fact]
    public async Task TempQueueReplyToLetsAServiceAnswerARequest()
    {
        await using var broker = new StompTestBroker();
        await using var requester = await broker.ConnectedAsync("req");
        await using var service = await broker.ConnectedAsync("svc");
        await service.SendAsync("SUBSCRIBE", [("id", "in"), ("destination", "/queue/rpc"), ("receipt", "r")]);
        await service.ExpectAsync(StompCommand.Receipt);
        await requester.SendAsync("SUBSCRIBE", [("id", "replies"), ("destination", "/temp-queue/answers"), ("receipt", "r")]);
        await requester.ExpectAsync(StompCommand.Receipt);
        await requester.SendAsync("SEND", [("destination", "/queue/rpc"), ("reply-to", "/temp-queue/answers"), ("correlation-id", "42")], "ping");

        var request = await service.ExpectAsync(StompCommand.Message);
        var replyTo = request.Get("reply-to")!;
        Assert.StartsWith("/queue/tmp.", replyTo, StringComparison.Ordinal);
        await service.SendAsync("SEND", [("destination", replyTo), ("correlation-id", request.Get("correlation-id")!)], "pong");

        var reply = await requester.ExpectAsync(StompCommand.Message);
        Assert.Equal("pong", Body(reply));
        Assert.Equal("42", reply.Get("correlation-id"));
        Assert.Equal("replies", reply.Get("subscription"));
    }

    [Fact]
    public async Task ExchangeDestinationsPublishAndBindOnNamedExchanges()
    {
        await using var broker = new StompTestBroker();
        broker.Api.Topology.DeclareExchange("events", Core.Routing.ExchangeType.Direct);
        broker.Api.Topology.DeclareExchange("by-header", Core.Routing.ExchangeType.Headers);
        await using var client = await broker.ConnectedAsync();
        await client.SendAsync("SUBSCRIBE", [("id", "e"), ("destination", "/exchange/events/orders/created"), ("receipt", "r")]);
        await client.ExpectAsync(StompCommand.Receipt);
        await client.SendAsync("SUBSCRIBE", [("id", "h"), ("destination", "/exchange/by-header"), ("x-match", "all"), ("region", "eu"), ("receipt", "r2")]);
        await client.ExpectAsync(StompCommand.Receipt);

        await client.SendAsync("SEND", [("destination", "/exchange/events/orders/created"), ("receipt", "s1")], "o1");
        var direct = await ReceiptAndMessageAsync(client);
        Assert.Equal("e", direct.Get("subscription"));
        Assert.Equal("o1", Body(direct));

        await client.SendAsync("SEND", [("destination", "/exchange/by-header/x"), ("region", "us"), ("receipt", "s2")], "us");
        await client.ExpectAsync(StompCommand.Receipt);
        await client.SendAsync("SEND", [("destination", "/exchange/by-header/x"), ("region", "eu"), ("receipt", "s3")], "eu");
        var matched = await ReceiptAndMessageAsync(client);
        Assert.Equal("h", matched.Get("subscription"));
        Assert.Equal("eu", Body(matched));
    }

    [Fact]
    public async Task QueueArgumentsDeclareMaxLengthAndAFullQueueRefusesTheSendWithItsReceipt()
    {
        await using var broker = new StompTestBroker();
        await using var client = await broker.ConnectedAsync();
        await client.SendAsync("SEND", [("destination", "/queue/small"), ("x-max-length", "1"), ("receipt", "one")], "1");
        await client.ExpectAsync(StompCommand.Receipt);
        Assert.Equal(1, broker.Api.Topology.GetQueue("small")!.Ready);

        await client.SendAsync("SEND", [("destination", "/queue/small"), ("receipt", "two")], "2");
        var error = await client.ExpectAsync(StompCommand.Error);
        Assert.Equal("two", error.Get("receipt-id"));
        Assert.Equal("message rejected", error.Get("message"));
        Assert.True(await client.WaitClosedAsync());
    }

    [Fact]
    public async Task ExpiredQueueMessagesAreDeadLetteredWithTheReason()
    {
        await using var broker = new StompTestBroker();
        await using var client = await broker.ConnectedAsync();
        await client.SendAsync("SUBSCRIBE", [("id", "dead"), ("destination", "/queue/ttl.dlq"), ("receipt", "s")]);
        await client.ExpectAsync(StompCommand.Receipt);
        await client.SendAsync("SEND", [("destination", "/queue/ttl"), ("x-message-ttl", "50"), ("receipt", "p")], "stale");
        await client.ExpectAsync(StompCommand.Receipt);

        var dead = await client.ExpectAsync(StompCommand.Message);
        Assert.Equal("stale", Body(dead));
        Assert.Equal("expired", dead.Get("x-death-reason"));
        Assert.Equal("ttl", dead.Get("x-original-queue"));
    }

    [Fact]
    public async Task ConflictingQueueArgumentsAreRefused()
    {
        await using var broker = new StompTestBroker();
        await using var client = await broker.ConnectedAsync();
        await client.SendAsync("SEND", [("destination", "/queue/conf"), ("x-max-length", "5"), ("receipt", "a")], "1");
        await client.ExpectAsync(StompCommand.Receipt);
        await client.SendAsync("SUBSCRIBE", [("id", "x"), ("destination", "/queue/conf"), ("x-max-length", "6"), ("receipt", "b")]);
        var error = await client.ExpectAsync(StompCommand.Error);
        Assert.Equal("invalid queue arguments", error.Get("message"));
        Assert.Equal("b", error.Get("receipt-id"));
    }
}
