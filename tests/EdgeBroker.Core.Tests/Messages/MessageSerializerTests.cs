namespace EdgeBroker.Core.Tests.Messages;

using System.Buffers;
using EdgeBroker.Core.Messages;
using FsCheck;
using FsCheck.Fluent;

[Trait("Category", "Unit")]
public sealed class MessageSerializerTests
{
    // Freezes format version 1: if this test has to change, the version byte has to change too
    // (and the reader must keep decoding version 1 records already on disk).
    private static readonly byte[] FullGolden = Convert.FromHexString(
        "01" + "07" + "01" + "01" + "01"        // version, flags (retain|persistent|expiry), qos 1, utf8, mqtt
        + "0201000000000000"                    // timestamp 258
        + "8096980000000000"                    // expiry 1 s = 10,000,000 ticks
        + "03612F62"                            // topic "a/b"
        + "0274" + "0272" + "026B" + "0263"     // content type "t", response topic "r", key "k", client id "c"
        + "01C0"                                // correlation data C0
        + "01" + "0168" + "0176"                // one header h=v
        + "020102");                            // payload 01 02

    private static readonly byte[] MinimalGolden = Convert.FromHexString(
        "0100000000" + "0000000000000000" + "0174" + "00000000" + "00" + "00" + "00");

    private static Message FullMessage() => new()
    {
        Topic = "a/b",
        Payload = new byte[] { 1, 2 },
        ContentType = "t",
        PayloadFormat = PayloadFormat.Utf8,
        CorrelationData = new byte[] { 0xC0 },
        ResponseTopic = "r",
        Headers = [new MessageHeader("h", "v")],
        ExpiryInterval = TimeSpan.FromSeconds(1),
        TimestampMs = 258,
        Key = "k",
        Qos = QualityOfService.AtLeastOnce,
        Retain = true,
        Persistent = true,
        Origin = new MessageOrigin(ProtocolKind.Mqtt, "c"),
    };

    [Fact]
    public void EncodesEveryFieldInTheFrozenVersion1Layout()
    {
        var writer = new ArrayBufferWriter<byte>();
        var written = MessageSerializer.Write(FullMessage(), writer);

        Assert.Equal(FullGolden.Length, written);
        Assert.Equal(Convert.ToHexString(FullGolden), Convert.ToHexString(writer.WrittenSpan));
        Assert.Equal(FullGolden.Length, MessageSerializer.GetSize(FullMessage()));
    }

    [Fact]
    public void EncodesAMinimalMessageInTheFrozenVersion1Layout()
    {
        var buffer = new byte[64];
        var written = MessageSerializer.Write(new Message { Topic = "t" }, buffer);

        Assert.Equal(Convert.ToHexString(MinimalGolden), Convert.ToHexString(buffer, 0, written));
    }

    [Fact]
    public void DecodesTheGoldenBytesBackToEveryField()
    {
        var m = MessageSerializer.Read(FullGolden);

        AssertSame(FullMessage(), m);
    }

    [Fact]
    public void DecodedPayloadIsASliceOfTheSourceNotACopy()
    {
        var source = FullGolden.ToArray();
        var m = MessageSerializer.Read(source);

        source[^1] = 0x7F;

        Assert.Equal(0x7F, m.Payload.Span[1]);
    }

    [Fact]
    public void DecodesMinimalMessageWithNullsAndInternalOrigin()
    {
        var m = MessageSerializer.Read(MinimalGolden);

        Assert.Equal("t", m.Topic);
        Assert.Null(m.ContentType);
        Assert.Null(m.ResponseTopic);
        Assert.Null(m.Key);
        Assert.Null(m.ExpiryInterval);
        Assert.Empty(m.Headers);
        Assert.True(m.Payload.IsEmpty);
        Assert.Same(MessageOrigin.Internal, m.Origin);
    }

    [Fact]
    public void KeepsEmptyStringDistinctFromNull()
    {
        var m = RoundTrip(new Message { Topic = "t", ContentType = "", Key = "", ResponseTopic = null, Origin = new MessageOrigin(ProtocolKind.Stomp, "") });

        Assert.Equal("", m.ContentType);
        Assert.Equal("", m.Key);
        Assert.Null(m.ResponseTopic);
        Assert.Equal("", m.Origin.ClientId);
    }

    [Fact]
    public void RoundTripsArbitraryMessages()
    {
        var prop = Prop.ForAll(Arb.From(MessageGen()), original =>
        {
            var writer = new ArrayBufferWriter<byte>();
            var size = MessageSerializer.Write(original, writer);
            var decoded = MessageSerializer.Read(writer.WrittenMemory);
            AssertSame(original, decoded);
            return size == MessageSerializer.GetSize(original);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), prop);
    }

    [Fact]
    public void RejectsEveryTruncationWithAFormatExceptionNeverIndexOutOfRange()
    {
        for (var length = 0; length < FullGolden.Length; length++)
        {
            var ex = Assert.Throws<MessageFormatException>(() => MessageSerializer.Read(FullGolden.AsMemory(0, length)));
            Assert.False(string.IsNullOrEmpty(ex.Message));
        }
    }

    [Fact]
    public void RejectsTrailingBytes()
    {
        var longer = FullGolden.Concat(new byte[] { 0 }).ToArray();

        var ex = Assert.Throws<MessageFormatException>(() => MessageSerializer.Read(longer));
        Assert.Contains("after the payload", ex.Message);
    }

    [Theory]
    [InlineData("02", "version")]                                     // unknown version
    [InlineData("0180", "flags")]                                      // unknown flag bit
    [InlineData("0100030000", "enum")]                                 // qos 3
    [InlineData("0100000000" + "0000000000000000" + "FFFFFFFF7F", "varint")] // topic length overflows int
    [InlineData("0100000000" + "0000000000000000" + "02C328", "UTF-8")]      // invalid UTF-8 in topic
    [InlineData("0100000000" + "0000000000000000" + "0174" + "00000000" + "00" + "7F", "Header count")]
    public void RejectsGarbageWithAReason(string hex, string expectedWord)
    {
        var bytes = Convert.FromHexString(hex);

        var ex = Assert.Throws<MessageFormatException>(() => MessageSerializer.Read(bytes));
        Assert.Contains(expectedWord, ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void RandomGarbageOnlyEverThrowsMessageFormatException()
    {
        var prop = Prop.ForAll(Arb.From(ArbMap.Default.GeneratorFor<byte[]>()), bytes =>
        {
            try
            {
                MessageSerializer.Read(bytes);
            }
            catch (MessageFormatException)
            {
            }

            return true;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(1000), prop);
    }

    [Fact]
    public void BitFlipsOfAValidRecordNeverEscapeAsOtherExceptions()
    {
        int decoded = 0, rejected = 0;
        for (var bit = 0; bit < FullGolden.Length * 8; bit++)
        {
            var copy = FullGolden.ToArray();
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
            try
            {
                MessageSerializer.Read(copy);
                decoded++;
            }
            catch (MessageFormatException)
            {
                rejected++;
            }
        }

        // Flips inside the timestamp or payload decode (the log's CRC catches those); flips in lengths are rejected.
        Assert.True(decoded > 0 && rejected > 0, $"decoded {decoded}, rejected {rejected}");
        Assert.Equal(FullGolden.Length * 8, decoded + rejected);
    }

    [Fact]
    public void RefusesToWriteALoneSurrogate()
    {
        var ex = Assert.Throws<ArgumentException>(() => MessageSerializer.GetSize(new Message { Topic = "a\uD800b" }));
        Assert.Contains("Topic", ex.Message);
    }

    [Fact]
    public void RefusesADestinationThatIsTooSmall()
    {
        Assert.Throws<ArgumentException>(() => MessageSerializer.Write(FullMessage(), new byte[FullGolden.Length - 1]));
    }

    private static Message RoundTrip(Message m)
    {
        var writer = new ArrayBufferWriter<byte>();
        MessageSerializer.Write(m, writer);
        return MessageSerializer.Read(writer.WrittenMemory);
    }

    internal static void AssertSame(Message expected, Message actual)
    {
        Assert.Equal(expected.Topic, actual.Topic);
        Assert.Equal(expected.Payload.ToArray(), actual.Payload.ToArray());
        Assert.Equal(expected.ContentType, actual.ContentType);
        Assert.Equal(expected.PayloadFormat, actual.PayloadFormat);
        Assert.Equal(expected.CorrelationData.ToArray(), actual.CorrelationData.ToArray());
        Assert.Equal(expected.ResponseTopic, actual.ResponseTopic);
        Assert.Equal(expected.Headers, actual.Headers);
        Assert.Equal(expected.ExpiryInterval, actual.ExpiryInterval);
        Assert.Equal(expected.TimestampMs, actual.TimestampMs);
        Assert.Equal(expected.Key, actual.Key);
        Assert.Equal(expected.Qos, actual.Qos);
        Assert.Equal(expected.Retain, actual.Retain);
        Assert.Equal(expected.Persistent, actual.Persistent);
        Assert.Equal(expected.Origin, actual.Origin);
    }

    private static Gen<string> TextGen() =>
        Gen.Elements("a", "/", "+", "é", "中", "😀", "\0", " ", "xyz", "$SYS").ArrayOf().Select(string.Concat);

    private static Gen<string?> NullableTextGen() =>
        Gen.Frequency((1, Gen.Constant<string?>(null)), (3, TextGen().Select(s => (string?)s)));

    private static Gen<Message> MessageGen() =>
        from topic in TextGen()
        from payload in ArbMap.Default.GeneratorFor<byte[]>()
        from correlation in ArbMap.Default.GeneratorFor<byte[]>()
        from contentType in NullableTextGen()
        from responseTopic in NullableTextGen()
        from key in NullableTextGen()
        from clientId in NullableTextGen()
        from headers in (from n in TextGen() from v in TextGen() select new MessageHeader(n, v)).ArrayOf()
        from expiryTicks in ArbMap.Default.GeneratorFor<long?>()
        from timestamp in ArbMap.Default.GeneratorFor<long>()
        from qos in Gen.Elements(QualityOfService.AtMostOnce, QualityOfService.AtLeastOnce, QualityOfService.ExactlyOnce)
        from format in Gen.Elements(PayloadFormat.Unspecified, PayloadFormat.Utf8)
        from protocol in Gen.Elements(ProtocolKind.Internal, ProtocolKind.Mqtt, ProtocolKind.Stomp, ProtocolKind.SignalR, ProtocolKind.Http)
        from flags in Gen.Choose(0, 3)
        select new Message
        {
            Topic = topic,
            Payload = payload,
            CorrelationData = correlation,
            ContentType = contentType,
            ResponseTopic = responseTopic,
            Key = key,
            Headers = headers,
            ExpiryInterval = expiryTicks is { } t ? TimeSpan.FromTicks(t) : null,
            TimestampMs = timestamp,
            Qos = qos,
            PayloadFormat = format,
            Retain = (flags & 1) != 0,
            Persistent = (flags & 2) != 0,
            Origin = new MessageOrigin(protocol, clientId),
        };
}
