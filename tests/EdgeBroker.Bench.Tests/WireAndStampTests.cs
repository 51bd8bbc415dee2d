namespace EdgeBroker.Bench.Tests;

using System.Text;
using EdgeBroker.Bench.Stats;
using EdgeBroker.Bench.Wire;

[Trait("Category", "Unit")]
public sealed class WireAndStampTests
{
    [Fact]
    public void PayloadStampRoundTrips()
    {
        var payload = new byte[128];
        PayloadStamp.Write(payload, 7, 123_456_789_012, -42);
        Assert.True(PayloadStamp.TryRead(payload, out var publisher, out var sequence, out var ticks));
        Assert.Equal((7, 123_456_789_012L, -42L), (publisher, sequence, ticks));
        Assert.False(PayloadStamp.TryRead(payload.AsSpan(0, 19), out _, out _, out _));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public void MqttPublishHeaderAndPayloadRoundTrip(int qos, bool v5)
    {
        var topic = "a/b/c"u8.ToArray();
        var size = MqttWire.PublishSize(topic.Length, 300, qos, v5);
        var packet = new byte[size];
        var header = MqttWire.WritePublishHeader(packet, topic, 300, qos, 513, v5);
        packet.AsSpan(header).Fill(0xAB);
        Assert.True(MqttWire.TryReadFixedHeader(packet, out var first, out var headerLength, out var remaining));
        Assert.Equal(size, headerLength + remaining);
        Assert.Equal(qos, (first >> 1) & 3);
        var payload = MqttWire.PublishPayload(packet.AsSpan(headerLength, remaining), qos, v5, out var packetId);
        Assert.Equal(300, payload.Length);
        Assert.Equal(qos > 0 ? 513 : 0, packetId);
        Assert.False(MqttWire.TryReadFixedHeader(packet.AsSpan(0, size - 1), out _, out _, out _));
    }

    [Fact]
    public void ConnAckReceiveMaximumIsReadAmongOtherProperties()
    {
        // flags, reason, properties: session expiry (0x11, 4 bytes), assigned client id (0x12, string), receive max (0x21) = 20
        byte[] body = [0, 0, 13, 0x11, 0, 0, 0, 10, 0x12, 0, 2, (byte)'i', (byte)'d', 0x21, 0, 20];
        Assert.Equal(0, MqttWire.ConnAckCode(body, v5: true, out var receiveMaximum));
        Assert.Equal(20, receiveMaximum);
    }

    [Fact]
    public void StompFramesAreReadWithAndWithoutContentLengthAcrossHeartbeats()
    {
        var bytes = Encoding.UTF8.GetBytes("\nMESSAGE\nsubscription:0\nack:T_1@@x\ncontent-length:3\n\na\0b\0\r\nRECEIPT\nreceipt-id:42\n\n\0");
        var used = StompWire.TryRead(bytes, out var message);
        Assert.True(used > 0);
        Assert.Equal("MESSAGE", Encoding.UTF8.GetString(message.Command));
        Assert.Equal("a\0b", Encoding.UTF8.GetString(message.Body));
        Assert.Equal("T_1@@x", Encoding.UTF8.GetString(message.Header("ack"u8)));
        var rest = bytes.AsSpan(used);
        var used2 = StompWire.TryRead(rest, out var receipt);
        Assert.Equal(rest.Length, used2);
        Assert.Equal("42", Encoding.UTF8.GetString(receipt.Header("receipt-id"u8)));
        Assert.Equal(0, StompWire.TryRead(bytes.AsSpan(0, used - 1), out _));
    }

    [Fact]
    public void SendFramesCarryTheReceiptOnlyWhenAsked()
    {
        var prefix = StompWire.SendPrefix("/queue/q", 4, persistent: true);
        var span = new byte[StompWire.SendSize(prefix.Length, 4)];
        var head = StompWire.WriteSendHead(span, prefix, 17);
        var text = Encoding.UTF8.GetString(span, 0, head);
        Assert.Equal("SEND\ndestination:/queue/q\ncontent-length:4\npersistent:true\nreceipt:17\n\n", text);
        head = StompWire.WriteSendHead(span, prefix, -1);
        Assert.DoesNotContain("receipt", Encoding.UTF8.GetString(span, 0, head), StringComparison.Ordinal);
    }

    [Fact]
    public void ProcStatusAndStatAreParsed()
    {
        Assert.Equal(12_345L * 1024, BrokerProcessSampler.ParseRssBytes("Name:\tx\nVmRSS:\t   12345 kB\nThreads: 3\n"));
        var stat = "4242 (my (odd) name) S 1 2 3 4 5 6 7 8 9 10 250 150 0 0 20 0 1";
        Assert.Equal(4.0, BrokerProcessSampler.ParseCpuSeconds(stat));
        var self = new BrokerProcessSampler(Environment.ProcessId);
        Assert.True(self.RssBytes() > 0);
        Assert.True(self.CpuSeconds() > 0);
    }
}
