namespace EdgeBroker.Stomp.Tests.Server;

using System.Text;
using EdgeBroker.Stomp.Codec;

/// <summary>
/// SEND pipelining (StompSession.Pipeline.cs): many durable SENDs in one write are all in flight at once, yet
/// RECEIPTs come in frame order, each only after its own message is stored, and a refused SEND in the middle is
/// answered with ERROR after the receipts of the SENDs before it.
/// </summary>
[Trait("Category", "Conformance")]
public sealed class StompSendPipelineTests
{
    private static string Frames(int count, string destination, Func<int, string>? extraHeaders = null)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            text.Append("SEND\ndestination:").Append(destination).Append("\nreceipt:r").Append(i).Append('\n')
                .Append(extraHeaders?.Invoke(i) ?? string.Empty).Append("\nm").Append(i).Append('\0');
        }

        return text.ToString();
    }

    [Fact]
    public async Task SendsWrittenAtOnceAreReceiptedAndQueuedInFrameOrder()
    {
        const int count = 197; // three times the in-flight cap (64) and a few more
        await using var broker = new StompTestBroker();
        await using var producer = await broker.ConnectedAsync("p");
        await producer.SendRawAsync(Frames(count, "/queue/pipelined"));

        for (var i = 0; i < count; i++)
        {
            var receipt = await producer.ExpectAsync(StompCommand.Receipt);
            Assert.Equal("r" + i, receipt.Get("receipt-id"));
        }

        Assert.Equal(count, broker.Api.Topology.GetQueue("pipelined")!.Ready); // every receipted message is stored

        await using var consumer = await broker.ConnectedAsync("c");
        await consumer.SendAsync("SUBSCRIBE", [("id", "q"), ("destination", "/queue/pipelined"), ("prefetch-count", "1000")]);
        for (var i = 0; i < count; i++)
        {
            Assert.Equal("m" + i, Encoding.UTF8.GetString((await consumer.ExpectAsync(StompCommand.Message)).Body.Span));
        }
    }

    [Fact]
    public async Task ARefusedSendAmongPipelinedOnesGetsErrorAfterTheEarlierReceipts()
    {
        await using var broker = new StompTestBroker();
        await using var producer = await broker.ConnectedAsync("p");
        await producer.SendRawAsync(Frames(6, "/queue/small", i => i == 0 ? "x-max-length:3\nx-overflow:reject-publish\n" : ""));

        Assert.Equal("r0", (await producer.ExpectAsync(StompCommand.Receipt)).Get("receipt-id"));
        Assert.Equal("r1", (await producer.ExpectAsync(StompCommand.Receipt)).Get("receipt-id"));
        Assert.Equal("r2", (await producer.ExpectAsync(StompCommand.Receipt)).Get("receipt-id"));
        var error = await producer.ExpectAsync(StompCommand.Error);
        Assert.Equal("r3", error.Get("receipt-id"));
        Assert.Equal("message rejected", error.Get("message"));
        Assert.True(await producer.WaitClosedAsync());
        Assert.Equal(3, broker.Api.Topology.GetQueue("small")!.Ready);
    }

    [Fact]
    public async Task DisconnectReceiptComesAfterEveryPipelinedSendReceipt()
    {
        await using var broker = new StompTestBroker();
        await using var producer = await broker.ConnectedAsync("p");
        await producer.SendRawAsync(Frames(20, "/queue/drained") + "DISCONNECT\nreceipt:bye\n\n\0");

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("r" + i, (await producer.ExpectAsync(StompCommand.Receipt)).Get("receipt-id"));
        }

        Assert.Equal("bye", (await producer.ExpectAsync(StompCommand.Receipt)).Get("receipt-id"));
        Assert.Equal(20, broker.Api.Topology.GetQueue("drained")!.Ready);
    }
}
