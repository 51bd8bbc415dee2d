namespace EdgeBroker.Mqtt.Server;

using System.Text;
using EdgeBroker.Core.Broker;
using EdgeBroker.Core.Topics;
using EdgeBroker.Mqtt.Codec;

/// <summary>
/// Encodes <see cref="MqttSessionState"/> for the core session store. Little-endian, versioned:
/// <code>
/// u8   format (1)          u8  protocol level      u32 expiry seconds     i64 disconnected at (Unix ms)
/// str  queue name ("" = none)
/// u16  n · n × u16 QoS 2 packet ids received, not released
/// u16  m · m × ( str filter · u8 options · u32 subscription identifier )
/// options  bits 5-4 retain handling · 3 retain as published · 2 no local · 1-0 QoS   (the SUBSCRIBE layout)
/// str  = u16 byte length · UTF-8
/// </code>
/// Stateless and thread-safe.
/// </summary>
public static class MqttSessionSerializer
{
    private const byte FormatVersion = 1;

    public static byte[] Serialize(MqttSessionState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(FormatVersion);
            writer.Write((byte)state.Version);
            writer.Write(state.ExpirySeconds);
            writer.Write(state.DisconnectedAtMs);
            WriteString(writer, state.QueueName ?? string.Empty);
            var ids = state.ReceivedQos2Snapshot();
            writer.Write((ushort)ids.Length);
            foreach (var id in ids)
            {
                writer.Write(id);
            }

            var subscriptions = state.Subscriptions;
            writer.Write((ushort)subscriptions.Count);
            foreach (var s in subscriptions)
            {
                WriteString(writer, s.Filter);
                writer.Write((byte)((int)s.Qos | (s.NoLocal ? 0x04 : 0) | (s.RetainAsPublished ? 0x08 : 0) | ((int)s.RetainHandling << 4)));
                writer.Write(s.SubscriptionIdentifier);
            }
        }

        return stream.ToArray();
    }

    /// <exception cref="InvalidDataException">The bytes are not a session this version can read.</exception>
    public static MqttSessionState Deserialize(string clientId, ReadOnlyMemory<byte> data)
    {
        try
        {
            using var stream = new MemoryStream(data.ToArray(), writable: false);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            if (reader.ReadByte() != FormatVersion)
            {
                throw new InvalidDataException("unknown session format version");
            }

            var version = (MqttProtocolVersion)reader.ReadByte();
            var expiry = reader.ReadUInt32();
            var disconnectedAt = reader.ReadInt64();
            var queue = ReadString(reader);
            var state = new MqttSessionState(clientId, version, expiry, queue.Length == 0 ? null : queue) { DisconnectedAtMs = disconnectedAt };
            int idCount = reader.ReadUInt16();
            for (var i = 0; i < idCount; i++)
            {
                state.AddReceivedQos2(reader.ReadUInt16());
            }

            int subscriptionCount = reader.ReadUInt16();
            for (var i = 0; i < subscriptionCount; i++)
            {
                var filter = ReadString(reader);
                var options = reader.ReadByte();
                var identifier = reader.ReadUInt32();
                state.SetSubscription(Create(filter, (MqttQos)(options & 0x03), (options & 0x04) != 0, (options & 0x08) != 0, (MqttRetainHandling)((options >> 4) & 0x03), identifier));
            }

            return state;
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException("truncated session state", ex);
        }
    }

    /// <summary>Builds a subscription record, resolving a <c>$share/…</c> filter to its group queue.</summary>
    public static MqttSessionSubscription Create(string filter, MqttQos qos, bool noLocal, bool retainAsPublished, MqttRetainHandling retainHandling, uint identifier)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (TopicFilter.TryParseShared(filter, out var group, out var inner))
        {
            return new MqttSessionSubscription(filter, qos, noLocal, retainAsPublished, retainHandling, identifier)
            {
                SharedQueue = Broker.SharedSubscriptionQueueName(group, inner),
                InnerFilter = inner,
            };
        }

        return new MqttSessionSubscription(filter, qos, noLocal, retainAsPublished, retainHandling, identifier) { InnerFilter = filter };
    }

    private static void WriteString(BinaryWriter writer, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        writer.Write((ushort)bytes.Length);
        writer.Write(bytes);
    }

    private static string ReadString(BinaryReader reader)
    {
        int length = reader.ReadUInt16();
        var bytes = reader.ReadBytes(length);
        if (bytes.Length != length)
        {
            throw new EndOfStreamException();
        }

        return Encoding.UTF8.GetString(bytes);
    }
}
