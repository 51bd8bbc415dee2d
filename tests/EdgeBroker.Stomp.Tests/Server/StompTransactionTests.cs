namespace EdgeBroker.Stomp.Tests.Server;

using System.Text;
using EdgeBroker.Stomp.Codec;

[Trait("Category", "Conformance")]
public sealed class StompTransactionTests
{
    [Fact]
    [Trait("Spec", "STOMP-1.2-COMMIT")]
    public async Task SendsInATransactionTakeEffectOnlyAtCommit()
    {
        await using var broker = new StompTestBroker();
        await using var client = await broker.ConnectedAsync();
        await client.SendAsync("BEGIN", [("transaction", "t1")]);
        await client.SendAsync("SEND", [("destination", "/queue/tx"), ("transaction", "t1")], "a");
        await client.SendAsync("SEND", [("destination", "/queue/tx"), ("transaction", "t1"), ("receipt", "s")], "b");
        await client.ExpectAsync(StompCommand.Receipt);
        Assert.Null(broker.Api.Topology.GetQueue("tx"));

        await client.SendAsync("COMMIT", [("transaction", "t1"), ("receipt", "c")]);
        Assert.Equal("c", (await client.ExpectAsync(StompCommand.Receipt)).Get("receipt-id"));
        Assert.Equal(2, broker.Api.Topology.GetQueue("tx")!.Ready);
        Assert.Equal(["a", "b"], broker.Api.Topology.PeekQueue("tx", 10).Select(m => Encoding.UTF8.GetString(m.Payload.Span)));
    }

    [Fact]
    [Trait("Spec", "STOMP-1.2-ABORT")]
    public async Task AbortDiscardsSendsAndAcks()
    {
        await using var broker = new StompTestBroker();
        await using var client = await broker.ConnectedAsync();
        await client.SendAsync("SEND", [("destination", "/queue/txa"), ("receipt", "p")], "kept");
        await client.ExpectAsync(StompCommand.Receipt);
        await client.SendAsync("SUBSCRIBE", [("id", "s"), ("destination", "/queue/txa"), ("ack", "client-individual")]);
        var message = await client.ExpectAsync(StompCommand.Message);

        await client.SendAsync("BEGIN", [("transaction", "t")]);
        await client.SendAsync("ACK", [("id", message.Get("ack")!), ("transaction", "t")]);
        await client.SendAsync("SEND", [("destination", "/queue/other"), ("transaction", "t")], "dropped");
        await client.SendAsync("ABORT", [("transaction", "t"), ("receipt", "a")]);
        await client.ExpectAsync(StompCommand.Receipt);

        Assert.Equal(1, broker.Api.Topology.GetQueue("txa")!.Unacked);
        Assert.Null(broker.Api.Topology.GetQueue("other"));
    }

    [Fact]
    public async Task AcksInACommittedTransactionSettleMessages()
    {
        await using var broker = new StompTestBroker();
        await using var client = await broker.ConnectedAsync();
        await client.SendAsync("SEND", [("destination", "/queue/txk"), ("receipt", "p")], "x");
        await client.ExpectAsync(StompCommand.Receipt);
        await client.SendAsync("SUBSCRIBE", [("id", "s"), ("destination", "/queue/txk"), ("ack", "client-individual")]);
        var message = await client.ExpectAsync(StompCommand.Message);
        await client.SendAsync("BEGIN", [("transaction", "t")]);
        await client.SendAsync("ACK", [("id", message.Get("ack")!), ("transaction", "t")]);
        await client.SendAsync("COMMIT", [("transaction", "t"), ("receipt", "c")]);
        await client.ExpectAsync(StompCommand.Receipt);
        await Poll.UntilAsync(() => broker.Api.Topology.GetQueue("txk") is { Ready: 0, Unacked: 0 });
    }

    [Fact]
    public async Task UnknownTransactionIsAnError()
    {
        await using var broker = new StompTestBroker();
        await using var client = await broker.ConnectedAsync();
        await client.SendAsync("COMMIT", [("transaction", "nope"), ("receipt", "c")]);
        var error = await client.ExpectAsync(StompCommand.Error);
        Assert.Equal("unknown transaction", error.Get("message"));
        Assert.Equal("c", error.Get("receipt-id"));
    }

    [Fact]
    public async Task OpenTransactionsAreDiscardedOnDisconnect()
    {
        await using var broker = new StompTestBroker();
        await using (var client = await broker.ConnectedAsync())
        {
            await client.SendAsync("BEGIN", [("transaction", "t")]);
            await client.SendAsync("SEND", [("destination", "/queue/lost"), ("transaction", "t")], "x");
            await client.SendAsync("DISCONNECT", [("receipt", "d")]);
            await client.ExpectAsync(StompCommand.Receipt);
        }

        Assert.Null(broker.Api.Topology.GetQueue("lost"));
    }
}
