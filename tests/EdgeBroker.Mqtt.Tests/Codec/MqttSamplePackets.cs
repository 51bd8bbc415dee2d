namespace EdgeBroker.Mqtt.Tests.Codec;

using System.Buffers;
using System.Text;
using EdgeBroker.Mqtt.Codec;

/// <summary>
/// The catalogue of valid packets every codec test iterates: each packet type in each version it
/// exists in, plain and (v5) with every property its packet allows.
/// </summary>
internal static class MqttSamplePackets
{
    public sealed record Sample(string Name, MqttProtocolVersion Version, MqttPacket Packet)
    {
        public byte[] Bytes { get; } = MqttCodec.Encode(Packet, Version);

        public MqttProtocolVersion ReadVersion => MqttCodec.ReadVersion(Packet, Version);

        public override string ToString() => Name;
    }

    private static readonly MqttProtocolVersion[] AllVersions = [MqttProtocolVersion.V310, MqttProtocolVersion.V311, MqttProtocolVersion.V500];

    public static IReadOnlyList<Sample> All { get; } = Build().ToList();

    public static Sample Get(string name) => All.Single(s => s.Name == name);

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var sample in All)
        {
            data.Add(sample.Name);
        }

        return data;
    }

    private static IEnumerable<Sample> Build()
    {
        foreach (var v in AllVersions)
        {
            var tag = v.ToString();
            yield return new($"{tag}-connect-minimal", v, new MqttConnectPacket { ProtocolVersion = v, CleanSession = true, ClientId = "c1", KeepAliveSeconds = 60 });
            yield return new($"{tag}-connect-full", v, new MqttConnectPacket
            {
                ProtocolVersion = v,
                ClientId = "sensor-\u00e9\u4e2d",
                KeepAliveSeconds = 65535,
                Will = new MqttWillMessage { Topic = "will/topic", Payload = "bye"u8.ToArray(), Qos = MqttQos.ExactlyOnce, Retain = true },
                UserName = "user",
                Password = new byte[] { 0, 1, 2, 255 },
            });
            yield return new($"{tag}-connack-accepted", v, new MqttConnAckPacket { SessionPresent = v != MqttProtocolVersion.V310 });
            yield return new($"{tag}-connack-refused", v, new MqttConnAckPacket { ReasonCode = MqttReasonCode.NotAuthorized });
            yield return new($"{tag}-publish-qos0", v, new MqttPublishPacket { Topic = "a/b", Payload = Payload("hello") });
            yield return new($"{tag}-publish-qos0-empty", v, new MqttPublishPacket { Topic = "x", Retain = true });
            yield return new($"{tag}-publish-qos1-dup", v, new MqttPublishPacket { Topic = "a/\u00fc", Qos = MqttQos.AtLeastOnce, Dup = true, PacketId = 1, Payload = Payload("p") });
            yield return new($"{tag}-publish-qos2-retain", v, new MqttPublishPacket { Topic = "$SYS/x", Qos = MqttQos.ExactlyOnce, Retain = true, PacketId = 65535, Payload = new ReadOnlySequence<byte>(new byte[300]) });
            yield return new($"{tag}-puback", v, new MqttPubAckPacket { PacketId = 7 });
            yield return new($"{tag}-pubrec", v, new MqttPubRecPacket { PacketId = 8 });
            yield return new($"{tag}-pubrel", v, new MqttPubRelPacket { PacketId = 9 });
            yield return new($"{tag}-pubcomp", v, new MqttPubCompPacket { PacketId = 10 });
            yield return new($"{tag}-subscribe", v, new MqttSubscribePacket
            {
                PacketId = 11,
                Subscriptions = [new MqttSubscription { TopicFilter = "a/+/c", Qos = MqttQos.AtLeastOnce }, new MqttSubscription { TopicFilter = "#", Qos = MqttQos.ExactlyOnce }],
            });
            yield return new($"{tag}-suback", v, new MqttSubAckPacket { PacketId = 11, ReasonCodes = [MqttReasonCode.GrantedQos1, MqttReasonCode.Success, MqttReasonCode.GrantedQos2] });
            yield return new($"{tag}-unsubscribe", v, new MqttUnsubscribePacket { PacketId = 12, TopicFilters = ["a/+/c", "#"] });
            yield return new($"{tag}-unsuback", v, new MqttUnsubAckPacket
            {
                PacketId = 12,
                ReasonCodes = v == MqttProtocolVersion.V500 ? [MqttReasonCode.Success, MqttReasonCode.NoSubscriptionExisted] : [],
            });
            yield return new($"{tag}-pingreq", v, MqttPingReqPacket.Instance);
            yield return new($"{tag}-pingresp", v, MqttPingRespPacket.Instance);
            yield return new($"{tag}-disconnect", v, new MqttDisconnectPacket());
        }

        foreach (var sample in V5Only())
        {
            yield return sample;
        }
    }

    private static IEnumerable<Sample> V5Only()
    {
        const MqttProtocolVersion v = MqttProtocolVersion.V500;
        yield return new("V311-suback-failure", MqttProtocolVersion.V311, new MqttSubAckPacket { PacketId = 2, ReasonCodes = [MqttReasonCode.UnspecifiedError] });
        yield return new("V500-connect-properties", v, new MqttConnectPacket
        {
            ProtocolVersion = v,
            ClientId = string.Empty,
            Password = new byte[] { 9 },
            Properties = new MqttProperties
            {
                SessionExpiryInterval = 3600,
                ReceiveMaximum = 20,
                MaximumPacketSize = 1024 * 1024,
                TopicAliasMaximum = 16,
                RequestResponseInformation = true,
                RequestProblemInformation = false,
                AuthenticationMethod = "SCRAM-SHA-1",
                AuthenticationData = [1, 2, 3],
                UserProperties = [new("k", "v"), new("k", "v2")],
            },
            Will = new MqttWillMessage
            {
                Topic = "w",
                Payload = new byte[] { 1 },
                Qos = MqttQos.AtLeastOnce,
                Properties = new MqttProperties
                {
                    WillDelayInterval = 5,
                    PayloadFormatIndicator = MqttPayloadFormatIndicator.Utf8,
                    MessageExpiryInterval = 60,
                    ContentType = "text/plain",
                    ResponseTopic = "r/t",
                    CorrelationData = [0xCA, 0xFE],
                    UserProperties = [new("will", "prop")],
                },
            },
        });
        yield return new("V500-connack-properties", v, new MqttConnAckPacket
        {
            SessionPresent = true,
            Properties = new MqttProperties
            {
                SessionExpiryInterval = 0,
                ReceiveMaximum = 65535,
                MaximumQos = MqttQos.AtLeastOnce,
                RetainAvailable = false,
                MaximumPacketSize = 268_435_460,
                AssignedClientIdentifier = "auto-1",
                TopicAliasMaximum = 0,
                ReasonString = "ok",
                UserProperties = [new("a", "b")],
                WildcardSubscriptionAvailable = true,
                SubscriptionIdentifierAvailable = true,
                SharedSubscriptionAvailable = false,
                ServerKeepAlive = 600,
                ResponseInformation = "resp/",
                ServerReference = "other:1883",
                AuthenticationMethod = "m",
                AuthenticationData = [7],
            },
        });
        yield return new("V500-connack-server-busy", v, new MqttConnAckPacket { ReasonCode = MqttReasonCode.ServerBusy, Properties = new MqttProperties { ReasonString = "busy" } });
        yield return new("V500-publish-properties", v, new MqttPublishPacket
        {
            Topic = "t",
            Qos = MqttQos.AtLeastOnce,
            PacketId = 3,
            Payload = Payload("{\"x\":1}"),
            Properties = new MqttProperties
            {
                PayloadFormatIndicator = MqttPayloadFormatIndicator.Utf8,
                MessageExpiryInterval = 10,
                TopicAlias = 4,
                ResponseTopic = "reply/1",
                CorrelationData = [1, 2],
                UserProperties = [new("u", "1"), new("u", "2")],
                SubscriptionIdentifiers = [1, 268_435_455],
                ContentType = "application/json",
            },
        });
        yield return new("V500-publish-alias-only", v, new MqttPublishPacket { Topic = string.Empty, Payload = Payload("x"), Properties = new MqttProperties { TopicAlias = 1 } });
        yield return new("V500-puback-reason", v, new MqttPubAckPacket { PacketId = 1, ReasonCode = MqttReasonCode.NoMatchingSubscribers });
        yield return new("V500-puback-properties", v, new MqttPubAckPacket { PacketId = 2, ReasonCode = MqttReasonCode.QuotaExceeded, Properties = new MqttProperties { ReasonString = "full", UserProperties = [new("q", "1")] } });
        yield return new("V500-pubrec-properties", v, new MqttPubRecPacket { PacketId = 3, Properties = new MqttProperties { ReasonString = "ok" } });
        yield return new("V500-pubrel-not-found", v, new MqttPubRelPacket { PacketId = 4, ReasonCode = MqttReasonCode.PacketIdentifierNotFound });
        yield return new("V500-pubcomp-properties", v, new MqttPubCompPacket { PacketId = 5, ReasonCode = MqttReasonCode.PacketIdentifierNotFound, Properties = new MqttProperties { UserProperties = [new("x", "y")] } });
        yield return new("V500-subscribe-options", v, new MqttSubscribePacket
        {
            PacketId = 6,
            Properties = new MqttProperties { SubscriptionIdentifiers = [42], UserProperties = [new("s", "1")] },
            Subscriptions =
            [
                new MqttSubscription { TopicFilter = "a", Qos = MqttQos.ExactlyOnce, NoLocal = true, RetainAsPublished = true, RetainHandling = MqttRetainHandling.DoNotSend },
                new MqttSubscription { TopicFilter = "$share/g/b", RetainHandling = MqttRetainHandling.SendAtSubscribeIfNew },
            ],
        });
        yield return new("V500-suback-properties", v, new MqttSubAckPacket
        {
            PacketId = 6,
            Properties = new MqttProperties { ReasonString = "partial" },
            ReasonCodes = [MqttReasonCode.GrantedQos2, MqttReasonCode.SharedSubscriptionsNotSupported, MqttReasonCode.TopicFilterInvalid],
        });
        yield return new("V500-unsubscribe-properties", v, new MqttUnsubscribePacket { PacketId = 7, TopicFilters = ["a"], Properties = new MqttProperties { UserProperties = [new("k", "")] } });
        yield return new("V500-unsuback-properties", v, new MqttUnsubAckPacket { PacketId = 7, ReasonCodes = [MqttReasonCode.NotAuthorized], Properties = new MqttProperties { ReasonString = "no" } });
        yield return new("V500-disconnect-reason", v, new MqttDisconnectPacket { ReasonCode = MqttReasonCode.DisconnectWithWillMessage });
        yield return new("V500-disconnect-properties", v, new MqttDisconnectPacket
        {
            ReasonCode = MqttReasonCode.SessionTakenOver,
            Properties = new MqttProperties { SessionExpiryInterval = 0, ReasonString = "taken over", ServerReference = "b:1883", UserProperties = [new("why", "dup id")] },
        });
        yield return new("V500-auth-empty", v, new MqttAuthPacket());
        yield return new("V500-auth-continue", v, new MqttAuthPacket
        {
            ReasonCode = MqttReasonCode.ContinueAuthentication,
            Properties = new MqttProperties { AuthenticationMethod = "SCRAM-SHA-1", AuthenticationData = [1, 2, 3, 4], ReasonString = "step 2" },
        });
        yield return new("V500-publish-multibyte-length", v, new MqttPublishPacket { Topic = "big", Payload = new ReadOnlySequence<byte>(Enumerable.Range(0, 200).Select(i => (byte)i).ToArray()) });
    }

    private static ReadOnlySequence<byte> Payload(string text) => new(Encoding.UTF8.GetBytes(text));
}
