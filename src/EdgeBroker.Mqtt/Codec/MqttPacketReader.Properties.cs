namespace EdgeBroker.Mqtt.Codec;

using System.Buffers;

/// <summary>v5 property blocks: <c>property length (VBI) · (identifier (VBI) · value)*</c>.</summary>
public static partial class MqttPacketReader
{
    /// <summary>
    /// Reads a property block for <paramref name="context"/>. Returns null for an empty block so
    /// the common case allocates nothing. Rules: an unknown identifier is malformed (0x81); a known
    /// one outside its packets, or repeated where it may not repeat, is a protocol error (0x82).
    /// </summary>
    private static MqttProperties? ReadProperties(ref SequenceReader<byte> reader, MqttPropertyContext context, MqttCodecLimits limits)
    {
        var length = MqttWireReader.ReadVariableByteInteger(ref reader, requireMinimal: true);
        if (length == 0)
        {
            return null;
        }

        if (reader.Remaining < length)
        {
            throw MqttProtocolException.Malformed("Property length exceeds the remaining length.");
        }

        if (length > limits.MaxPropertyLength)
        {
            throw new MqttProtocolException(
                MqttReasonCode.PacketTooLarge, $"Property block of {length} bytes exceeds the limit of {limits.MaxPropertyLength}.");
        }

        // Values are read from a reader bounded by the property length, so a value that runs past
        // the block is malformed rather than silently eating the payload.
        var block = new SequenceReader<byte>(reader.UnreadSequence.Slice(0, length));
        reader.Advance(length);

        var properties = new MqttProperties();
        var seen = 0UL;
        while (!block.End)
        {
            var id = MqttWireReader.ReadVariableByteInteger(ref block, requireMinimal: true);
            if (!MqttPropertyTable.TryGet(id, out var definition))
            {
                throw MqttProtocolException.Malformed($"Unknown property identifier 0x{id:X2}.");
            }

            if ((definition.AllowedIn & context) == 0)
            {
                throw MqttProtocolException.ProtocolViolation($"Property {definition.Id} is not allowed in {context}.");
            }

            var bit = 1UL << id;
            if ((seen & bit) != 0 && (definition.RepeatableIn & context) == 0)
            {
                throw MqttProtocolException.ProtocolViolation($"Property {definition.Id} appears more than once in {context}.");
            }

            seen |= bit;
            ReadPropertyValue(ref block, definition.Id, properties);
            if (properties.UserProperties?.Count > limits.MaxUserProperties)
            {
                throw new MqttProtocolException(
                    MqttReasonCode.ImplementationSpecificError, $"More than {limits.MaxUserProperties} user properties.");
            }
        }

        // "It is a Protocol Error to include Authentication Data if there is no Authentication Method."
        if (properties.AuthenticationData is not null && properties.AuthenticationMethod is null)
        {
            throw MqttProtocolException.ProtocolViolation("Authentication Data without Authentication Method.");
        }

        return properties;
    }

    private static void ReadPropertyValue(ref SequenceReader<byte> block, MqttPropertyId id, MqttProperties p)
    {
        switch (id)
        {
            case MqttPropertyId.PayloadFormatIndicator:
                p.PayloadFormatIndicator = (MqttPayloadFormatIndicator)ReadZeroOrOne(ref block, id);
                break;
            case MqttPropertyId.MessageExpiryInterval:
                p.MessageExpiryInterval = MqttWireReader.ReadUInt32(ref block);
                break;
            case MqttPropertyId.ContentType:
                p.ContentType = MqttWireReader.ReadString(ref block);
                break;
            case MqttPropertyId.ResponseTopic:
                p.ResponseTopic = MqttWireReader.ReadString(ref block);
                if (p.ResponseTopic.AsSpan().IndexOfAny('+', '#') >= 0)
                {
                    // [MQTT-3.3.2-14] a Response Topic is a topic name: no wildcards.
                    throw MqttProtocolException.ProtocolViolation("[MQTT-3.3.2-14] Response Topic contains a wildcard.");
                }

                break;
            case MqttPropertyId.CorrelationData:
                p.CorrelationData = MqttWireReader.ReadBinary(ref block);
                break;
            case MqttPropertyId.SubscriptionIdentifier:
                var subscriptionId = MqttWireReader.ReadVariableByteInteger(ref block, requireMinimal: true);
                if (subscriptionId == 0)
                {
                    throw MqttProtocolException.ProtocolViolation("[MQTT-3.8.2.1.2] Subscription Identifier 0.");
                }

                (p.SubscriptionIdentifiers ??= []).Add((uint)subscriptionId);
                break;
            case MqttPropertyId.SessionExpiryInterval:
                p.SessionExpiryInterval = MqttWireReader.ReadUInt32(ref block);
                break;
            case MqttPropertyId.AssignedClientIdentifier:
                p.AssignedClientIdentifier = MqttWireReader.ReadString(ref block);
                break;
            case MqttPropertyId.ServerKeepAlive:
                p.ServerKeepAlive = MqttWireReader.ReadUInt16(ref block);
                break;
            case MqttPropertyId.AuthenticationMethod:
                p.AuthenticationMethod = MqttWireReader.ReadString(ref block);
                break;
            case MqttPropertyId.AuthenticationData:
                p.AuthenticationData = MqttWireReader.ReadBinary(ref block);
                break;
            case MqttPropertyId.RequestProblemInformation:
                p.RequestProblemInformation = ReadZeroOrOne(ref block, id) == 1;
                break;
            case MqttPropertyId.WillDelayInterval:
                p.WillDelayInterval = MqttWireReader.ReadUInt32(ref block);
                break;
            case MqttPropertyId.RequestResponseInformation:
                p.RequestResponseInformation = ReadZeroOrOne(ref block, id) == 1;
                break;
            case MqttPropertyId.ResponseInformation:
                p.ResponseInformation = MqttWireReader.ReadString(ref block);
                break;
            case MqttPropertyId.ServerReference:
                p.ServerReference = MqttWireReader.ReadString(ref block);
                break;
            case MqttPropertyId.ReasonString:
                p.ReasonString = MqttWireReader.ReadString(ref block);
                break;
            case MqttPropertyId.ReceiveMaximum:
                p.ReceiveMaximum = ReadNonZeroUInt16(ref block, id, MqttReasonCode.ProtocolError);
                break;
            case MqttPropertyId.TopicAliasMaximum:
                p.TopicAliasMaximum = MqttWireReader.ReadUInt16(ref block);
                break;
            case MqttPropertyId.TopicAlias:
                // [MQTT-3.3.2-8] a Topic Alias of 0 is not permitted.
                p.TopicAlias = ReadNonZeroUInt16(ref block, id, MqttReasonCode.TopicAliasInvalid);
                break;
            case MqttPropertyId.MaximumQos:
                p.MaximumQos = (MqttQos)ReadZeroOrOne(ref block, id);
                break;
            case MqttPropertyId.RetainAvailable:
                p.RetainAvailable = ReadZeroOrOne(ref block, id) == 1;
                break;
            case MqttPropertyId.UserProperty:
                var name = MqttWireReader.ReadString(ref block);
                var value = MqttWireReader.ReadString(ref block);
                (p.UserProperties ??= []).Add(new MqttUserProperty(name, value));
                break;
            case MqttPropertyId.MaximumPacketSize:
                var maximumPacketSize = MqttWireReader.ReadUInt32(ref block);
                if (maximumPacketSize == 0)
                {
                    throw MqttProtocolException.ProtocolViolation("Maximum Packet Size 0.");
                }

                p.MaximumPacketSize = maximumPacketSize;
                break;
            case MqttPropertyId.WildcardSubscriptionAvailable:
                p.WildcardSubscriptionAvailable = ReadZeroOrOne(ref block, id) == 1;
                break;
            case MqttPropertyId.SubscriptionIdentifierAvailable:
                p.SubscriptionIdentifierAvailable = ReadZeroOrOne(ref block, id) == 1;
                break;
            default:
                p.SharedSubscriptionAvailable = ReadZeroOrOne(ref block, id) == 1;
                break;
        }
    }

    private static byte ReadZeroOrOne(ref SequenceReader<byte> block, MqttPropertyId id)
    {
        var value = MqttWireReader.ReadByte(ref block);
        if (value > 1)
        {
            throw MqttProtocolException.ProtocolViolation($"Property {id} must be 0 or 1, not {value}.");
        }

        return value;
    }

    private static ushort ReadNonZeroUInt16(ref SequenceReader<byte> block, MqttPropertyId id, MqttReasonCode reason)
    {
        var value = MqttWireReader.ReadUInt16(ref block);
        if (value == 0)
        {
            throw new MqttProtocolException(reason, $"Property {id} must not be 0.");
        }

        return value;
    }
}
