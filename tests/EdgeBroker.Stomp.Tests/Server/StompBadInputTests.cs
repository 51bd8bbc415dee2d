namespace EdgeBroker.Stomp.Tests.Server;

using System.Text;
using EdgeBroker.Stomp.Codec;

/// <summary>Malformed input as a table of raw bytes with the expected reaction: ERROR, then close; others keep being served.</summary>
[Trait("Category", "Conformance")]
public sealed class StompBadInputTests
{
    private const string Connect = "CONNECT\naccept-version:1.2\nhost:/\n\n\0";

    public static TheoryData<string, string> BadFrames() => new()
    {
        { "SEND\ndestination /topic/a\n\nx\0", "malformed frame" },                    // header without colon
        { "SEND\ndestination:/topic/a\nbad:\\t\n\nx\0", "malformed frame" },         // undefined escape
        { "SEND\ndestination:/topic/a\ncontent-length:abc\n\nx\0", "malformed frame" }, // bad content-length
        { "SEND\ndestination:/topic/a\ncontent-length:1\n\nxy\0", "malformed frame" },  // missing NUL after the body
        { "SUBSCRIBE\nid:1\ndestination:/topic/a\n\nbody\0", "malformed frame" },       // body where none is allowed
        { "FROB\n\n\0", "malformed frame" },                                           // unknown command
        { "SEND\ndestination:/topic/a/#\n\nx\0", "cannot SEND to a wildcard destination" },
        { "SEND\ndestination:/nowhere/a\n\nx\0", "invalid destination" },
        { "SEND\ndestination:/queue/a b\n\nx\0", "invalid destination" },
        { "SUBSCRIBE\ndestination:/topic/a\n\n\0", "missing id header" },
        { "SUBSCRIBE\nid:1\ndestination:/topic/a/#/b\n\n\0", "invalid destination" },
        { "SUBSCRIBE\nid:1\ndestination:/topic/a\nack:sometimes\n\n\0", "invalid ack header" },
        { "ACK\nid:garbage\n\n\0", "invalid ack id" },
        { "MESSAGE\ndestination:/topic/a\n\n\0", "MESSAGE is a server frame" },
        { "CONNECT\naccept-version:1.2\n\n\0", "already connected" },
        { "UNSUBSCRIBE\nid:never\n\n\0", "unknown subscription" },
    };

    [Theory]
    [MemberData(nameof(BadFrames))]
    public async Task AnswersBadInputWithAnErrorThenClosesAndKeepsServingOthers(string frame, string expectedMessage)
    {
        await using var broker = new StompTestBroker();
        await using var bystander = await broker.ConnectedAsync("bystander");
        await bystander.SendAsync("SUBSCRIBE", [("id", "b"), ("destination", "/topic/a"), ("receipt", "r")]);
        await bystander.ExpectAsync(StompCommand.Receipt);

        await using var client = broker.Connect("bad");
        await client.SendRawAsync(Connect + frame);
        await client.ExpectAsync(StompCommand.Connected);
        var error = await client.ExpectAsync(StompCommand.Error);
        Assert.Equal(expectedMessage, error.Get("message"));
        Assert.True(await client.WaitClosedAsync());

        await broker.PublishAsync("a", "still-served");
        Assert.Equal("still-served", Encoding.UTF8.GetString((await bystander.ExpectAsync(StompCommand.Message)).Body.Span));
    }

    [Fact]
    public async Task RefusesAnOversizeFrameBeforeConnectWithoutBufferingIt()
    {
        await using var broker = new StompTestBroker();
        await using var client = broker.Connect();
        await client.SendRawAsync("CONNECT\naccept-version:1.2\nhost:/\nx:" + new string('a', 70 * 1024) + "\n\n\0");
        Assert.Equal("malformed frame", (await client.ExpectAsync(StompCommand.Error)).Get("message"));
        Assert.True(await client.WaitClosedAsync());
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
