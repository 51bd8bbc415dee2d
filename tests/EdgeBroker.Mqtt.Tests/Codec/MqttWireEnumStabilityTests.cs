namespace EdgeBroker.Mqtt.Tests.Codec;

using EdgeBroker.Mqtt.Codec;

/// <summary>Wire enums must never change value (Garnet PersistedEnumStabilityTests idea).</summary>
[Trait("Category", "Unit")]
public sealed class MqttWireEnumStabilityTests
{
    [Fact]
    public void ReasonCodesKeepTheirSpecValues()
    {
        var expected = new Dictionary<MqttReasonCode, byte>
        {
            [MqttReasonCode.Success] = 0x00, [MqttReasonCode.GrantedQos1] = 0x01, [MqttReasonCode.GrantedQos2] = 0x02,
            [MqttReasonCode.DisconnectWithWillMessage] = 0x04, [MqttReasonCode.NoMatchingSubscribers] = 0x10,
            [MqttReasonCode.NoSubscriptionExisted] = 0x11, [MqttReasonCode.ContinueAuthentication] = 0x18,
            [MqttReasonCode.ReAuthenticate] = 0x19, [MqttReasonCode.UnspecifiedError] = 0x80,
            [MqttReasonCode.MalformedPacket] = 0x81, [MqttReasonCode.ProtocolError] = 0x82,
            [MqttReasonCode.ImplementationSpecificError] = 0x83, [MqttReasonCode.UnsupportedProtocolVersion] = 0x84,
            [MqttReasonCode.ClientIdentifierNotValid] = 0x85, [MqttReasonCode.BadUserNameOrPassword] = 0x86,
            [MqttReasonCode.NotAuthorized] = 0x87, [MqttReasonCode.ServerUnavailable] = 0x88,
            [MqttReasonCode.ServerBusy] = 0x89, [MqttReasonCode.Banned] = 0x8A, [MqttReasonCode.ServerShuttingDown] = 0x8B,
            [MqttReasonCode.BadAuthenticationMethod] = 0x8C, [MqttReasonCode.KeepAliveTimeout] = 0x8D,
            [MqttReasonCode.SessionTakenOver] = 0x8E, [MqttReasonCode.TopicFilterInvalid] = 0x8F,
            [MqttReasonCode.TopicNameInvalid] = 0x90, [MqttReasonCode.PacketIdentifierInUse] = 0x91,
            [MqttReasonCode.PacketIdentifierNotFound] = 0x92, [MqttReasonCode.ReceiveMaximumExceeded] = 0x93,
            [MqttReasonCode.TopicAliasInvalid] = 0x94, [MqttReasonCode.PacketTooLarge] = 0x95,
            [MqttReasonCode.MessageRateTooHigh] = 0x96, [MqttReasonCode.QuotaExceeded] = 0x97,
            [MqttReasonCode.AdministrativeAction] = 0x98, [MqttReasonCode.PayloadFormatInvalid] = 0x99,
            [MqttReasonCode.RetainNotSupported] = 0x9A, [MqttReasonCode.QosNotSupported] = 0x9B,
            [MqttReasonCode.UseAnotherServer] = 0x9C, [MqttReasonCode.ServerMoved] = 0x9D,
            [MqttReasonCode.SharedSubscriptionsNotSupported] = 0x9E, [MqttReasonCode.ConnectionRateExceeded] = 0x9F,
            [MqttReasonCode.MaximumConnectTime] = 0xA0, [MqttReasonCode.SubscriptionIdentifiersNotSupported] = 0xA1,
            [MqttReasonCode.WildcardSubscriptionsNotSupported] = 0xA2,
        };

        Assert.Equal(expected.Count, Enum.GetValues<MqttReasonCode>().Length);
        foreach (var (code, value) in expected)
        {
            Assert.Equal(value, (byte)code);
        }
    }

    [Fact]
    public void PacketTypesVersionsAndQosKeepTheirWireValues()
    {
        Assert.Equal(1, (int)MqttPacketType.Connect);
        Assert.Equal(3, (int)MqttPacketType.Publish);
        Assert.Equal(14, (int)MqttPacketType.Disconnect);
        Assert.Equal(15, (int)MqttPacketType.Auth);
        Assert.Equal(3, (int)MqttProtocolVersion.V310);
        Assert.Equal(4, (int)MqttProtocolVersion.V311);
        Assert.Equal(5, (int)MqttProtocolVersion.V500);
        Assert.Equal(2, (int)MqttQos.ExactlyOnce);
        Assert.Equal(0x26, (int)MqttPropertyId.UserProperty);
        Assert.Equal(0x2A, (int)MqttPropertyId.SharedSubscriptionAvailable);
    }

    [Theory]
    [InlineData(MqttReasonCode.Success, 0)]
    [InlineData(MqttReasonCode.UnsupportedProtocolVersion, 1)]
    [InlineData(MqttReasonCode.ClientIdentifierNotValid, 2)]
    [InlineData(MqttReasonCode.ServerUnavailable, 3)]
    [InlineData(MqttReasonCode.ServerBusy, 3)]
    [InlineData(MqttReasonCode.BadUserNameOrPassword, 4)]
    [InlineData(MqttReasonCode.NotAuthorized, 5)]
    [Trait("Spec", "MQTT-3.2.2.3")]
    public void ConnAckReasonCodesMapToV3ReturnCodes(MqttReasonCode code, byte returnCode) =>
        Assert.Equal(returnCode, MqttConnAckPacket.ToV3ReturnCode(code));
}
