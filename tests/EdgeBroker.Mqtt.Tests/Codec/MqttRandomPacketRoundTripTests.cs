namespace EdgeBroker.Mqtt.Tests.Codec;

using System.Buffers;
using System.Text;
using EdgeBroker.Mqtt.Codec;
using FsCheck;
using FsCheck.Fluent;

/// <summary>
/// FsCheck round-trip: random valid packets (random UTF-8 strings including supplementary
/// characters, payloads, QoS, ids, v5 properties) encode, decode from a randomly split sequence,
/// and re-encode to the same bytes with the same fields. One seed per case, so failures replay.
/// </summary>
[Trait("Category", "Unit")]
public sealed class MqttRandomPacketRoundTripTests
{
    private static readonly string[] Pieces = ["a", "b", "/", "0", " ", "-", "\u00e9", "\u4e2d", "\U0001F600", "$", "\u007f"];

    [Fact]
    public void RandomValidPacketsRoundTrip()
    {
        var property = Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var random = new Random(seed);
            var version = (MqttProtocolVersion)random.Next(3, 6);
            var packet = RandomPacket(random, version);
            var bytes = MqttCodec.Encode(packet, version);
            var split = random.Next(bytes.Length + 1);

            var decoded = MqttCodec.DecodeSingle(SegmentedSequence.Create(bytes, split), MqttCodec.ReadVersion(packet, version));

            Assert.Equal(Hex.Format(bytes), MqttCodec.Canonical(decoded, version));
            AssertSameFields(packet, decoded);
            return true;
        });

        Check.One(FsCheckConfigs.Deterministic(2000), property);
    }

    private static void AssertSameFields(MqttPacket expected, MqttPacket actual)
    {
        switch (expected)
        {
            case MqttPublishPacket e:
                var a = Assert.IsType<MqttPublishPacket>(actual);
                Assert.Equal(e.Topic, a.Topic);
                Assert.Equal(e.Qos, a.Qos);
                Assert.Equal(e.PacketId, a.PacketId);
                Assert.Equal(e.Payload.ToArray(), a.Payload.ToArray());
                Assert.Equal(e.Properties?.UserProperties, a.Properties?.UserProperties);
                Assert.Equal(e.Properties?.ContentType, a.Properties?.ContentType);
                break;
            case MqttSubscribePacket e:
                var s = Assert.IsType<MqttSubscribePacket>(actual);
                Assert.Equal(e.Subscriptions.Select(x => x.TopicFilter), s.Subscriptions.Select(x => x.TopicFilter));
                Assert.Equal(e.Subscriptions.Select(x => x.Qos), s.Subscriptions.Select(x => x.Qos));
                break;
            case MqttConnectPacket e:
                var c = Assert.IsType<MqttConnectPacket>(actual);
                Assert.Equal(e.ClientId, c.ClientId);
                Assert.Equal(e.UserName, c.UserName);
                Assert.Equal(e.Will?.Topic, c.Will?.Topic);
                break;
            default:
                Assert.Equal(expected.PacketType, actual.PacketType);
                break;
        }
    }

    private static MqttPacket RandomPacket(Random random, MqttProtocolVersion version)
    {
        var v5 = version == MqttProtocolVersion.V500;
        var packetId = (ushort)random.Next(1, 65536);
        switch (random.Next(5))
        {
            case 0:
                var qos = (MqttQos)random.Next(3);
                return new MqttPublishPacket
                {
                    Topic = RandomString(random, 1, 40),
                    Qos = qos,
                    Dup = qos != MqttQos.AtMostOnce && random.Next(2) == 0,
                    Retain = random.Next(2) == 0,
                    PacketId = qos == MqttQos.AtMostOnce ? (ushort)0 : packetId,
                    Payload = new ReadOnlySequence<byte>(RandomBytes(random, 0, 600)),
                    Properties = v5 && random.Next(2) == 0 ? RandomPublishProperties(random) : null,
                };
            case 1:
                return new MqttSubscribePacket
                {
                    PacketId = packetId,
                    Subscriptions = Enumerable.Range(0, random.Next(1, 5))
                        .Select(_ => new MqttSubscription { TopicFilter = RandomString(random, 1, 20) + "/#", Qos = (MqttQos)random.Next(3), NoLocal = v5 && random.Next(2) == 0 })
                        .ToList(),
                };
            case 2:
                return new MqttConnectPacket
                {
                    ProtocolVersion = version,
                    ClientId = RandomString(random, 0, 23),
                    CleanSession = random.Next(2) == 0,
                    KeepAliveSeconds = (ushort)random.Next(65536),
                    UserName = random.Next(2) == 0 ? RandomString(random, 0, 10) : null,
                    Will = random.Next(2) == 0 ? new MqttWillMessage { Topic = RandomString(random, 1, 10), Payload = RandomBytes(random, 0, 50), Qos = (MqttQos)random.Next(3) } : null,
                };
            case 3:
                return new MqttUnsubscribePacket { PacketId = packetId, TopicFilters = Enumerable.Range(0, random.Next(1, 4)).Select(_ => RandomString(random, 1, 20)).ToList() };
            default:
                return new MqttPubRecPacket
                {
                    PacketId = packetId,
                    ReasonCode = v5 && random.Next(2) == 0 ? MqttReasonCode.QuotaExceeded : MqttReasonCode.Success,
                    Properties = v5 && random.Next(2) == 0 ? new MqttProperties { ReasonString = RandomString(random, 0, 30) } : null,
                };
        }
    }

    private static MqttProperties RandomPublishProperties(Random random) => new()
    {
        ContentType = random.Next(2) == 0 ? RandomString(random, 0, 20) : null,
        MessageExpiryInterval = random.Next(2) == 0 ? (uint)random.Next() : null,
        CorrelationData = random.Next(2) == 0 ? RandomBytes(random, 0, 16) : null,
        UserProperties = random.Next(2) == 0
            ? Enumerable.Range(0, random.Next(1, 4)).Select(_ => new MqttUserProperty(RandomString(random, 0, 8), RandomString(random, 0, 8))).ToList()
            : null,
        SubscriptionIdentifiers = random.Next(2) == 0 ? [(uint)random.Next(1, MqttVariableByteInteger.MaxValue)] : null,
    };

    private static string RandomString(Random random, int minPieces, int maxPieces)
    {
        var builder = new StringBuilder();
        var count = random.Next(minPieces, maxPieces + 1);
        for (var i = 0; i < count; i++)
        {
            builder.Append(Pieces[random.Next(Pieces.Length)]);
        }

        return builder.ToString();
    }

    private static byte[] RandomBytes(Random random, int min, int max)
    {
        var bytes = new byte[random.Next(min, max + 1)];
        random.NextBytes(bytes);
        return bytes;
    }
}
