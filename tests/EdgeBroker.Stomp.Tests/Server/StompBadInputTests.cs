namespace EdgeBroker.Stomp.Tests.Server;

using System.Text;
using EdgeBroker.Stomp.Codec;

/// <summary>Malformed input as a table of raw bytes with the expected reaction: ERROR, then close; others keep being served.</summary>
[Trait("Category", "Conformance")]
public sealed class StompBadInputTests
{
    private const string Connect = StompBadFrames.Connect;

    [Theory]
    [MemberData(nameof(StompBadFrames.Names), MemberType = typeof(StompBadFrames))]
    public async Task AnswersBadInputWithAnErrorThenClosesAndKeepsServingOthers(string name)
    {
        var row = StompBadFrames.Get(name);
        await using var broker = new StompTestBroker();
        await using var bystander = await broker.ConnectedAsync("bystander");
        await bystander.SendAsync("SUBSCRIBE", [("id", "b"), ("destination", "/topic/a"), ("receipt", "r")]);
        await bystander.ExpectAsync(StompCommand.Receipt);

        await using var client = broker.Connect("bad");
        await client.SendRawAsync(row.BeforeConnect ? row.Raw : Connect + row.Raw);
        if (!row.BeforeConnect)
        {
            await client.ExpectAsync(StompCommand.Connected);
        }

        var error = await client.ExpectAsync(StompCommand.Error);
        Assert.Equal(row.ExpectedMessage, error.Get("message"));
        Assert.True(await client.WaitClosedAsync());

        await broker.PublishAsync("a", "still-served");
        Assert.Equal("still-served", Encoding.UTF8.GetString((await bystander.ExpectAsync(StompCommand.Message)).Body.Span));
    }

    [Fact]
    public async Task EveryValidFrameWorksSplitAtEveryByteBoundary()
    {
        await using var broker = new StompTestBroker();
        await using var sub = await broker.ConnectedAsync("sub");
        await sub.SendAsync("SUBSCRIBE", [("id", "s"), ("destination", "/topic/split"), ("receipt", "r")]);
        await sub.ExpectAsync(StompCommand.Receipt);

        var bytes = Encoding.UTF8.GetBytes(Connect + "SEND\r\ndestination:/topic/split\r\ncontent-length:3\r\n\r\na\0b\0\n\nDISCONNECT\nreceipt:bye\n\n\0");
        for (var split = 1; split < bytes.Length; split++)
        {
            await using var client = broker.Connect("split-" + split);
            await client.SendRawAsync(bytes[..split]);
            await client.SendRawAsync(bytes[split..]);
            await client.ExpectAsync(StompCommand.Connected);
            Assert.Equal("bye", (await client.ExpectAsync(StompCommand.Receipt)).Get("receipt-id"));
            var message = await sub.ExpectAsync(StompCommand.Message);
            Assert.Equal(new byte[] { (byte)'a', 0, (byte)'b' }, message.Body.ToArray());
        }
    }
}
