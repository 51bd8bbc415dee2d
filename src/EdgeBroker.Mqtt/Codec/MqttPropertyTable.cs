namespace EdgeBroker.Mqtt.Codec;

using static MqttPropertyContext;

/// <summary>
/// The v5 property table (spec 2.2.2.2). Indexed by identifier; an identifier with no row is
/// malformed. Immutable, safe to share.
/// </summary>
public static class MqttPropertyTable
{
    private const MqttPropertyContext AllAcks = PubAck | PubRec | PubRel | PubComp;

    private const MqttPropertyContext Everywhere = Connect | ConnAck | Publish | Will | AllAcks
        | Subscribe | SubAck | Unsubscribe | UnsubAck | Disconnect | Auth;

    private static readonly MqttPropertyDefinition[] Rows =
    [
        new(MqttPropertyId.PayloadFormatIndicator, MqttPropertyType.Byte, Publish | Will, None),
        new(MqttPropertyId.MessageExpiryInterval, MqttPropertyType.FourByteInteger, Publish | Will, None),
        new(MqttPropertyId.ContentType, MqttPropertyType.Utf8String, Publish | Will, None),
        new(MqttPropertyId.ResponseTopic, MqttPropertyType.Utf8String, Publish | Will, None),
        new(MqttPropertyId.CorrelationData, MqttPropertyType.BinaryData, Publish | Will, None),

        // [MQTT-3.3.4-4] a PUBLISH to a client may carry several identifiers; SUBSCRIBE carries one.
        new(MqttPropertyId.SubscriptionIdentifier, MqttPropertyType.VariableByteInteger, Publish | Subscribe, Publish),
        new(MqttPropertyId.SessionExpiryInterval, MqttPropertyType.FourByteInteger, Connect | ConnAck | Disconnect, None),
        new(MqttPropertyId.AssignedClientIdentifier, MqttPropertyType.Utf8String, ConnAck, None),
        new(MqttPropertyId.ServerKeepAlive, MqttPropertyType.TwoByteInteger, ConnAck, None),
        new(MqttPropertyId.AuthenticationMethod, MqttPropertyType.Utf8String, Connect | ConnAck | Auth, None),
        new(MqttPropertyId.AuthenticationData, MqttPropertyType.BinaryData, Connect | ConnAck | Auth, None),
        new(MqttPropertyId.RequestProblemInformation, MqttPropertyType.Byte, Connect, None),
        new(MqttPropertyId.WillDelayInterval, MqttPropertyType.FourByteInteger, Will, None),
        new(MqttPropertyId.RequestResponseInformation, MqttPropertyType.Byte, Connect, None),
        new(MqttPropertyId.ResponseInformation, MqttPropertyType.Utf8String, ConnAck, None),
        new(MqttPropertyId.ServerReference, MqttPropertyType.Utf8String, ConnAck | Disconnect, None),
        new(MqttPropertyId.ReasonString, MqttPropertyType.Utf8String, ConnAck | AllAcks | SubAck | UnsubAck | Disconnect | Auth, None),
        new(MqttPropertyId.ReceiveMaximum, MqttPropertyType.TwoByteInteger, Connect | ConnAck, None),
        new(MqttPropertyId.TopicAliasMaximum, MqttPropertyType.TwoByteInteger, Connect | ConnAck, None),
        new(MqttPropertyId.TopicAlias, MqttPropertyType.TwoByteInteger, Publish, None),
        new(MqttPropertyId.MaximumQos, MqttPropertyType.Byte, ConnAck, None),
        new(MqttPropertyId.RetainAvailable, MqttPropertyType.Byte, ConnAck, None),

        // User properties may repeat wherever they are allowed (spec 3.1.2.11.8 and siblings).
        new(MqttPropertyId.UserProperty, MqttPropertyType.Utf8StringPair, Everywhere, Everywhere),
        new(MqttPropertyId.MaximumPacketSize, MqttPropertyType.FourByteInteger, Connect | ConnAck, None),
        new(MqttPropertyId.WildcardSubscriptionAvailable, MqttPropertyType.Byte, ConnAck, None),
        new(MqttPropertyId.SubscriptionIdentifierAvailable, MqttPropertyType.Byte, ConnAck, None),
        new(MqttPropertyId.SharedSubscriptionAvailable, MqttPropertyType.Byte, ConnAck, None),
    ];

    private static readonly MqttPropertyDefinition?[] ById = BuildIndex();

    /// <summary>Every row, in identifier order.</summary>
    public static IReadOnlyList<MqttPropertyDefinition> All => Rows;

    public static bool TryGet(int id, out MqttPropertyDefinition definition)
    {
        if ((uint)id < (uint)ById.Length && ById[id] is { } row)
        {
            definition = row;
            return true;
        }

        definition = default;
        return false;
    }

    private static MqttPropertyDefinition?[] BuildIndex()
    {
        var index = new MqttPropertyDefinition?[(int)MqttPropertyId.SharedSubscriptionAvailable + 1];
        foreach (var row in Rows)
        {
            index[(int)row.Id] = row;
        }

        return index;
    }
}
