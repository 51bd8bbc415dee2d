namespace EdgeBroker.Stomp.Tests.Server;

using System.Globalization;
using System.Text;
using EdgeBroker.Core.Streams;
using EdgeBroker.Stomp.Codec;

[Trait("Category", "Conformance")]
public sealed class StompStreamTests
{
    private static string Body(StompFrame frame) => Encoding.UTF8.GetString(frame.Body.Span);

    private static long Offset(StompFrame frame) => long.Parse(frame.Get("x-stream-offset")!, CultureInfo.InvariantCulture);

    private static int Partition(StompFrame frame) => int.Parse(frame.Get("x-stream-partition")!, CultureInfo.InvariantCulture);

    private static async Task SendAllAsync(StompTestClient client, string destination, string? key, params string[] bodies)
    {
        foreach (var body in bodies)
        {
            List<(string, string)> headers = [("destination", destination), ("receipt", "r-" + body)];
            if (key is not null)
            {
                headers.Add(("key", key));
            }

            await client.SendAsync("SEND", headers, body);
            Assert.Equal("r-" + body, (await client.ExpectAsync(StompCommand.Receipt)).Get("receipt-id"));
        }
    }

    [Fact]
    public async Task SendToAnUnknownStreamIsAnErrorNamingTheStream()
    {
        await using var broker = new StompTestBroker();
        await using var client = await broker.ConnectedAsync();
        await client.SendAsync("SEND", [("destination", "/stream/missing"), ("receipt", "r1")], "x");
        var error = await client.ExpectAsync(StompCommand.Error);
        Assert.Equal("unknown stream", error.Get("message"));
        Assert.Equal("r1", error.Get("receipt-id"));
        Assert.Contains("missing", Body(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendIsReceiptedOnceAppendedAndTheSameKeyLandsInOnePartition()
    {
        await using var broker = new StompTestBroker();
        var (stream, _) = await broker.Streams.DeclareAsync(new StreamDeclaration { Name = "events", Partitions = 4 });
        await using var client = await broker.ConnectedAsync();
        await SendAllAsync(client, "/stream/events", "dev-7", "a", "b", "c");

        // The receipt came after the append: the records are readable now, all in the key's partition, in order.
        var partition = StreamPartitioner.PartitionFor("dev-7", 4);
        var records = stream.Read(partition, 0, 10);
        Assert.Equal(["a", "b", "c"], records.Select(r => Encoding.UTF8.GetString(r.Message.Payload.Span)));
        Assert.All(records, r => Assert.Equal("dev-7", r.Message.Key));
        Assert.Equal(3, Enumerable.Range(0, 4).Sum(p => stream.EndOffset(p)));
    }

    [Fact]
    public async Task SubscribeReplaysFromFirstWithPartitionAndOffsetHeadersThenFollowsLive()
    {
        await using var broker = new StompTestBroker();
        await broker.Streams.DeclareAsync(new StreamDeclaration { Name = "log", Partitions = 1 });
        await using var producer = await broker.ConnectedAsync("p");
        await SendAllAsync(producer, "/stream/log", null, "0", "1");

        await using var consumer = await broker.ConnectedAsync("c");
        await consumer.SendAsync("SUBSCRIBE", [("id", "s"), ("destination", "/stream/log"), ("x-stream-offset", "first"), ("receipt", "sub")]);
        var frames = new List<StompFrame>();
        while (frames.Count(f => f.Command == StompCommand.Message) < 2)
        {
            frames.Add(await consumer.ReceiveAsync());
        }

        var replayed = frames.Where(f => f.Command == StompCommand.Message).ToList();
        Assert.Equal(["0", "1"], replayed.Select(Body));
        Assert.Equal([0L, 1L], replayed.Select(Offset));
        Assert.All(replayed, f => Assert.Equal("0", f.Get("x-stream-partition")));
        Assert.All(replayed, f => Assert.Equal("/stream/log", f.Get("destination")));
        Assert.All(replayed, f => Assert.Equal("log", f.Get("x-stream-topic")));

        await SendAllAsync(producer, "/stream/log", null, "2");
        var live = await consumer.ExpectAsync(StompCommand.Message);
        Assert.Equal("2", Body(live));
        Assert.Equal(2, Offset(live));
    }

    [Fact]
    public async Task OffsetAndTimestampStartPositionsAreHonoured()
    {
        await using var broker = new StompTestBroker();
        var (stream, _) = await broker.Streams.DeclareAsync(new StreamDeclaration { Name = "t", Partitions = 1 });
        await stream.AppendAsync(new Core.Messages.Message { Topic = "t", Payload = "old"u8.ToArray(), TimestampMs = 1_000 });
        await stream.AppendAsync(new Core.Messages.Message { Topic = "t", Payload = "mid"u8.ToArray(), TimestampMs = 2_000 });
        await stream.AppendAsync(new Core.Messages.Message { Topic = "t", Payload = "new"u8.ToArray(), TimestampMs = 3_000 });

        await using var client = await broker.ConnectedAsync();
        await client.SendAsync("SUBSCRIBE", [("id", "a"), ("destination", "/stream/t"), ("x-stream-offset", "offset=2")]);
        Assert.Equal("new", Body(await client.ExpectAsync(StompCommand.Message)));
        await client.SendAsync("SUBSCRIBE", [("id", "b"), ("destination", "/stream/t"), ("x-stream-offset", "timestamp=1970-01-01T00:00:02Z")]);
        var fromTime = new[] { await client.ExpectAsync(StompCommand.Message), await client.ExpectAsync(StompCommand.Message) };
        Assert.Equal(["mid", "new"], fromTime.Select(Body));
        Assert.All(fromTime, f => Assert.Equal("b", f.Get("subscription")));
    }

    [Fact]
    public async Task InvalidOffsetHeaderIsAnError()
    {
        await using var broker = new StompTestBroker();
        await broker.Streams.DeclareAsync(new StreamDeclaration { Name = "t", Partitions = 1 });
        await using var client = await broker.ConnectedAsync();
        await client.SendAsync("SUBSCRIBE", [("id", "a"), ("destination", "/stream/t"), ("x-stream-offset", "yesterday")]);
        Assert.Equal("invalid x-stream-offset header", (await client.ExpectAsync(StompCommand.Error)).Get("message"));
    }

    [Fact]
    public async Task GroupMembersSharePartitionsAndAcksCommitDurably()
    {
        await using var broker = new StompTestBroker();
        var (stream, _) = await broker.Streams.DeclareAsync(new StreamDeclaration { Name = "jobs", Partitions = 2, Partitioning = StreamPartitioning.RoundRobin });
        for (var i = 0; i < 4; i++)
        {
            await stream.AppendAsync(new Core.Messages.Message { Topic = "jobs", Payload = Encoding.UTF8.GetBytes("j" + i) });
        }

        await using var a = await broker.ConnectedAsync("a");
        // a starts at next (it will see only what it takes over), b replays from first.
        await a.SendAsync("SUBSCRIBE", [("id", "s"), ("destination", "/stream/jobs"), ("x-stream-group", "workers"), ("x-stream-offset", "next"), ("ack", "client-individual"), ("receipt", "ra")]);
        Assert.Equal(StompCommand.Receipt, (await a.ExpectAsync(StompCommand.Receipt)).Command);
        await using var b = await broker.ConnectedAsync("b");
        await b.SendAsync("SUBSCRIBE", [("id", "s"), ("destination", "/stream/jobs"), ("x-stream-group", "workers"), ("x-stream-offset", "first"), ("ack", "client-individual")]);

        var group = broker.Streams.Group("jobs", "workers");
        await Poll.UntilAsync(() => group.Info.Members.Count == 2);

        // b owns one partition and gets its two records; acking them commits that partition.
        var first = await b.ExpectAsync(StompCommand.Message);
        var second = await b.ExpectAsync(StompCommand.Message);
        Assert.Equal(Partition(first), Partition(second));
        var owned = Partition(first);
        await b.SendAsync("ACK", [("id", first.Get("ack")!)]);
        await b.SendAsync("ACK", [("id", second.Get("ack")!), ("receipt", "acked")]);
        Assert.Equal("acked", (await b.ExpectAsync(StompCommand.Receipt)).Get("receipt-id"));
        Assert.Equal(2, group.Committed(owned));

        // b leaves: its partition goes to a, which resumes after the commit (nothing committed is delivered again).
        await b.SendAsync("UNSUBSCRIBE", [("id", "s"), ("receipt", "gone")]);
        await b.ExpectAsync(StompCommand.Receipt);
        await stream.AppendAsync(new Core.Messages.Message { Topic = "jobs", Payload = "late"u8.ToArray() }, owned);
        var late = await a.ExpectAsync(StompCommand.Message);
        Assert.Equal("late", Body(late));
        Assert.Equal(owned, Partition(late));
        Assert.Equal(2, Offset(late));
    }
}
