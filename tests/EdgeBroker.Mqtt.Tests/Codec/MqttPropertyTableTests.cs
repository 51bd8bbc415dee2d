namespace EdgeBroker.Mqtt.Tests.Codec;

using System.Buffers;
using EdgeBroker.Mqtt.Codec;

/// <summary>
/// Drives the reader with every v5 property in every property context, derived from
/// <see cref="MqttPropertyTable"/> and checked against the spec's table by hand in
/// <see cref="TableMatchesSpec2222"/>: allowed → decodes, elsewhere → 0x82, repeated → 0x82
/// unless repeatable there.
/// </summary>
[Trait("Category", "Conformance")]
public sealed class MqttPropertyTableTests
{
    private static readonly MqttPropertyContext[] Contexts = Enum.GetValues<MqttPropertyContext>().Where(c => c != MqttPropertyContext.None).ToArray();

    public static TheoryData<MqttPropertyId, MqttPropertyContext> Cases()
    {
        var data = new TheoryData<MqttPropertyId, MqttPropertyContext>();
        foreach (var row in MqttPropertyTable.All)
        {
            foreach (var context in Contexts)
            {
                data.Add(row.Id, context);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    [Trait("Spec", "MQTT-2.2.2")]
    public void PropertyIsAcceptedExactlyWhereTheTableAllowsIt(MqttPropertyId id, MqttPropertyContext context)
    {
        Assert.True(MqttPropertyTable.TryGet((int)id, out var row));
        var bytes = PacketWithProperties(context, Encode(id));

        if ((row.AllowedIn & context) != 0)
        {
            var buffer = new ReadOnlySequence<byte>(bytes);
            Assert.True(MqttPacketReader.TryRead(ref buffer, Version(context), MqttCodecLimits.Default, out _, out _));
        }
        else
        {
            AssertRejected(bytes, context, MqttReasonCode.ProtocolError);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    [Trait("Spec", "MQTT-2.2.2")]
    public void RepeatedPropertyIsAProtocolErrorUnlessRepeatable(MqttPropertyId id, MqttPropertyContext context)
    {
        Assert.True(MqttPropertyTable.TryGet((int)id, out var row));
        if ((row.AllowedIn & context) == 0)
        {
            return; // covered above
        }

        var bytes = PacketWithProperties(context, [.. Encode(id), .. Encode(id)]);
        if ((row.RepeatableIn & context) != 0)
        {
            var buffer = new ReadOnlySequence<byte>(bytes);
            Assert.True(MqttPacketReader.TryRead(ref buffer, Version(context), MqttCodecLimits.Default, out _, out _));
        }
        else
        {
            AssertRejected(bytes, context, MqttReasonCode.ProtocolError);
        }
    }

    [Fact]
    public void TableMatchesSpec2222()
    {
        // Spot checks typed from the spec table, independent of how MqttPropertyTable is written.
        Assert.Equal(27, MqttPropertyTable.All.Count);
        AssertRow(MqttPropertyId.PayloadFormatIndicator, MqttPropertyType.Byte, MqttPropertyContext.Publish | MqttPropertyContext.Will);
        AssertRow(MqttPropertyId.SubscriptionIdentifier, MqttPropertyType.VariableByteInteger, MqttPropertyContext.Publish | MqttPropertyContext.Subscribe);
        AssertRow(MqttPropertyId.SessionExpiryInterval, MqttPropertyType.FourByteInteger, MqttPropertyContext.Connect | MqttPropertyContext.ConnAck | MqttPropertyContext.Disconnect);
        AssertRow(MqttPropertyId.WillDelayInterval, MqttPropertyType.FourByteInteger, MqttPropertyContext.Will);
        AssertRow(MqttPropertyId.ServerReference, MqttPropertyType.Utf8String, MqttPropertyContext.ConnAck | MqttPropertyContext.Disconnect);
        AssertRow(MqttPropertyId.TopicAlias, MqttPropertyType.TwoByteInteger, MqttPropertyContext.Publish);
        AssertRow(MqttPropertyId.UserProperty, MqttPropertyType.Utf8StringPair, Contexts.Aggregate((a, b) => a | b));
        Assert.False(MqttPropertyTable.TryGet(0x00, out _));
        Assert.False(MqttPropertyTable.TryGet(0x14, out _));
        Assert.False(MqttPropertyTable.TryGet(0x2B, out _));
    }

    private static void AssertRow(MqttPropertyId id, MqttPropertyType type, MqttPropertyContext allowedIn)
    {
        Assert.True(MqttPropertyTable.TryGet((int)id, out var row));
        Assert.Equal(type, row.Type);
        Assert.Equal(allowedIn, row.AllowedIn);
    }

    private static void AssertRejected(byte[] bytes, MqttPropertyContext context, MqttReasonCode expected)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        var ex = Assert.Throws<MqttProtocolException>(() => MqttPacketReader.TryRead(ref buffer, Version(context), MqttCodecLimits.Default, out _, out _));
        Assert.Equal(expected, ex.ReasonCode);
    }

    private static MqttProtocolVersion Version(MqttPropertyContext context) =>
        context is MqttPropertyContext.Connect or MqttPropertyContext.Will ? MqttProtocolVersion.Unknown : MqttProtocolVersion.V500;

    /// <summary>A valid sample value for the property (Authentication Data brings its Method along).</summary>
    private static byte[] Encode(MqttPropertyId id)
    {
        Assert.True(MqttPropertyTable.TryGet((int)id, out var row));
        byte[] value = row.Type switch
        {
            MqttPropertyType.Byte => [0x01],
            MqttPropertyType.TwoByteInteger => [0x00, 0x01],
            MqttPropertyType.FourByteInteger => [0x00, 0x00, 0x00, 0x01],
            MqttPropertyType.VariableByteInteger => [0x01],
            MqttPropertyType.Utf8String => [0x00, 0x01, 0x61],
            MqttPropertyType.BinaryData => [0x00, 0x01, 0xAA],
            _ => [0x00, 0x01, 0x61, 0x00, 0x01, 0x62],
        };
        byte[] property = [(byte)id, .. value];
        return id == MqttPropertyId.AuthenticationData && row.Type == MqttPropertyType.BinaryData
            ? [(byte)MqttPropertyId.AuthenticationMethod, 0x00, 0x01, 0x6D, .. property]
            : property;
    }

    /// <summary>The smallest valid v5 packet of the context with the given property block content.</summary>
    private static byte[] PacketWithProperties(MqttPropertyContext context, byte[] content)
    {
        byte[] block = [(byte)content.Length, .. content];
        byte[] connectHeader = [0x00, 0x04, 0x4D, 0x51, 0x54, 0x54, 0x05];
        (byte First, byte[] Body) packet = context switch
        {
            MqttPropertyContext.Connect => ((byte)0x10, (byte[])[.. connectHeader, 0x02, 0x00, 0x3C, .. block, 0x00, 0x00]),
            MqttPropertyContext.Will => ((byte)0x10, (byte[])[.. connectHeader, 0x06, 0x00, 0x3C, 0x00, 0x00, 0x00, .. block, 0x00, 0x01, 0x77, 0x00, 0x00]),
            MqttPropertyContext.ConnAck => ((byte)0x20, (byte[])[0x00, 0x00, .. block]),
            MqttPropertyContext.Publish => ((byte)0x30, (byte[])[0x00, 0x01, 0x61, .. block]),
            MqttPropertyContext.PubAck => ((byte)0x40, (byte[])[0x00, 0x01, 0x00, .. block]),
            MqttPropertyContext.PubRec => ((byte)0x50, (byte[])[0x00, 0x01, 0x00, .. block]),
            MqttPropertyContext.PubRel => ((byte)0x62, (byte[])[0x00, 0x01, 0x00, .. block]),
            MqttPropertyContext.PubComp => ((byte)0x70, (byte[])[0x00, 0x01, 0x00, .. block]),
            MqttPropertyContext.Subscribe => ((byte)0x82, (byte[])[0x00, 0x01, .. block, 0x00, 0x01, 0x61, 0x00]),
            MqttPropertyContext.SubAck => ((byte)0x90, (byte[])[0x00, 0x01, .. block, 0x00]),
            MqttPropertyContext.Unsubscribe => ((byte)0xA2, (byte[])[0x00, 0x01, .. block, 0x00, 0x01, 0x61]),
            MqttPropertyContext.UnsubAck => ((byte)0xB0, (byte[])[0x00, 0x01, .. block, 0x00]),
            MqttPropertyContext.Disconnect => ((byte)0xE0, (byte[])[0x00, .. block]),
            _ => ((byte)0xF0, (byte[])[0x00, .. block]),
        };
        return [packet.First, (byte)packet.Body.Length, .. packet.Body];
    }
}
