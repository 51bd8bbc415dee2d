namespace EdgeBroker.Mqtt.Codec;

/// <summary>v5 property blocks: <c>property length (VBI) · (identifier · value)*</c>, written in identifier order.</summary>
public static partial class MqttPacketWriter
{
    /// <summary>Size of the whole block, length prefix included (1 for "no properties").</summary>
    private static int GetPropertiesBlockSize(MqttProperties? properties)
    {
        var content = GetPropertiesContentSize(properties);
        return MqttVariableByteInteger.GetSize(content) + content;
    }

    private static int GetPropertiesContentSize(MqttProperties? p)
    {
        if (p is null)
        {
            return 0;
        }

        var size = 0;
        size += p.PayloadFormatIndicator.HasValue ? 2 : 0;
        size += p.MessageExpiryInterval.HasValue ? 5 : 0;
        size += StringProperty(p.ContentType) + StringProperty(p.ResponseTopic);
        size += p.CorrelationData is { } correlation ? 1 + MqttSpanWriter.GetBinarySize(correlation) : 0;
        foreach (var id in p.SubscriptionIdentifiers ?? [])
        {
            size += 1 + MqttVariableByteInteger.GetSize(checked((int)id));
        }

        size += p.SessionExpiryInterval.HasValue ? 5 : 0;
        size += StringProperty(p.AssignedClientIdentifier);
        size += p.ServerKeepAlive.HasValue ? 3 : 0;
        size += StringProperty(p.AuthenticationMethod);
        size += p.AuthenticationData is { } authData ? 1 + MqttSpanWriter.GetBinarySize(authData) : 0;
        size += p.RequestProblemInformation.HasValue ? 2 : 0;
        size += p.WillDelayInterval.HasValue ? 5 : 0;
        size += p.RequestResponseInformation.HasValue ? 2 : 0;
        size += StringProperty(p.ResponseInformation) + StringProperty(p.ServerReference) + StringProperty(p.ReasonString);
        size += p.ReceiveMaximum.HasValue ? 3 : 0;
        size += p.TopicAliasMaximum.HasValue ? 3 : 0;
        size += p.TopicAlias.HasValue ? 3 : 0;
        size += p.MaximumQos.HasValue ? 2 : 0;
        size += p.RetainAvailable.HasValue ? 2 : 0;
        foreach (var user in p.UserProperties ?? [])
        {
            size += 1 + MqttSpanWriter.GetStringSize(user.Name) + MqttSpanWriter.GetStringSize(user.Value);
        }

        size += p.MaximumPacketSize.HasValue ? 5 : 0;
        size += p.WildcardSubscriptionAvailable.HasValue ? 2 : 0;
        size += p.SubscriptionIdentifierAvailable.HasValue ? 2 : 0;
        size += p.SharedSubscriptionAvailable.HasValue ? 2 : 0;
        return size;
    }

    private static int StringProperty(string? value) => value is null ? 0 : 1 + MqttSpanWriter.GetStringSize(value);

    private static void WriteProperties(ref MqttSpanWriter w, MqttProperties? p)
    {
        w.WriteVariableByteInteger(GetPropertiesContentSize(p));
        if (p is null)
        {
            return;
        }

        WriteByteProperty(ref w, MqttPropertyId.PayloadFormatIndicator, (byte?)p.PayloadFormatIndicator);
        WriteUInt32Property(ref w, MqttPropertyId.MessageExpiryInterval, p.MessageExpiryInterval);
        WriteStringProperty(ref w, MqttPropertyId.ContentType, p.ContentType);
        WriteStringProperty(ref w, MqttPropertyId.ResponseTopic, p.ResponseTopic);
        WriteBinaryProperty(ref w, MqttPropertyId.CorrelationData, p.CorrelationData);
        foreach (var id in p.SubscriptionIdentifiers ?? [])
        {
            w.WriteByte((byte)MqttPropertyId.SubscriptionIdentifier);
            w.WriteVariableByteInteger((int)id);
        }

        WriteUInt32Property(ref w, MqttPropertyId.SessionExpiryInterval, p.SessionExpiryInterval);
        WriteStringProperty(ref w, MqttPropertyId.AssignedClientIdentifier, p.AssignedClientIdentifier);
        WriteUInt16Property(ref w, MqttPropertyId.ServerKeepAlive, p.ServerKeepAlive);
        WriteStringProperty(ref w, MqttPropertyId.AuthenticationMethod, p.AuthenticationMethod);
        WriteBinaryProperty(ref w, MqttPropertyId.AuthenticationData, p.AuthenticationData);
        WriteBoolProperty(ref w, MqttPropertyId.RequestProblemInformation, p.RequestProblemInformation);
        WriteUInt32Property(ref w, MqttPropertyId.WillDelayInterval, p.WillDelayInterval);
        WriteBoolProperty(ref w, MqttPropertyId.RequestResponseInformation, p.RequestResponseInformation);
        WriteStringProperty(ref w, MqttPropertyId.ResponseInformation, p.ResponseInformation);
        WriteStringProperty(ref w, MqttPropertyId.ServerReference, p.ServerReference);
        WriteStringProperty(ref w, MqttPropertyId.ReasonString, p.ReasonString);
        WriteUInt16Property(ref w, MqttPropertyId.ReceiveMaximum, p.ReceiveMaximum);
        WriteUInt16Property(ref w, MqttPropertyId.TopicAliasMaximum, p.TopicAliasMaximum);
        WriteUInt16Property(ref w, MqttPropertyId.TopicAlias, p.TopicAlias);
        WriteByteProperty(ref w, MqttPropertyId.MaximumQos, (byte?)p.MaximumQos);
        WriteBoolProperty(ref w, MqttPropertyId.RetainAvailable, p.RetainAvailable);
        foreach (var user in p.UserProperties ?? [])
        {
            w.WriteByte((byte)MqttPropertyId.UserProperty);
            w.WriteString(user.Name);
            w.WriteString(user.Value);
        }

        WriteUInt32Property(ref w, MqttPropertyId.MaximumPacketSize, p.MaximumPacketSize);
        WriteBoolProperty(ref w, MqttPropertyId.WildcardSubscriptionAvailable, p.WildcardSubscriptionAvailable);
        WriteBoolProperty(ref w, MqttPropertyId.SubscriptionIdentifierAvailable, p.SubscriptionIdentifierAvailable);
        WriteBoolProperty(ref w, MqttPropertyId.SharedSubscriptionAvailable, p.SharedSubscriptionAvailable);
    }

    private static void WriteByteProperty(ref MqttSpanWriter w, MqttPropertyId id, byte? value)
    {
        if (value is { } v)
        {
            w.WriteByte((byte)id);
            w.WriteByte(v);
        }
    }

    private static void WriteBoolProperty(ref MqttSpanWriter w, MqttPropertyId id, bool? value) =>
        WriteByteProperty(ref w, id, value is { } v ? (byte)(v ? 1 : 0) : null);

    private static void WriteUInt16Property(ref MqttSpanWriter w, MqttPropertyId id, ushort? value)
    {
        if (value is { } v)
        {
            w.WriteByte((byte)id);
            w.WriteUInt16(v);
        }
    }

    private static void WriteUInt32Property(ref MqttSpanWriter w, MqttPropertyId id, uint? value)
    {
        if (value is { } v)
        {
            w.WriteByte((byte)id);
            w.WriteUInt32(v);
        }
    }

    private static void WriteStringProperty(ref MqttSpanWriter w, MqttPropertyId id, string? value)
    {
        if (value is not null)
        {
            w.WriteByte((byte)id);
            w.WriteString(value);
        }
    }

    private static void WriteBinaryProperty(ref MqttSpanWriter w, MqttPropertyId id, byte[]? value)
    {
        if (value is not null)
        {
            w.WriteByte((byte)id);
            w.WriteBinary(value);
        }
    }
}
