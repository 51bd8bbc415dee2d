namespace EdgeBroker.Core.Messages;

using System.Buffers;
using System.Buffers.Binary;
using System.Text;

/// <summary>
/// The on-disk encoding of a <see cref="Message"/> (queue logs, retained store, session queues).
/// Stateless and thread-safe.
/// </summary>
/// <remarks>
/// <code>
///  Format version 1. Integers little-endian. varint = unsigned LEB128, at most 5 bytes, value ≤ int.MaxValue.
///
///  offset  size     field
///  ------  -------  ------------------------------------------------------------------------------
///   0      u8       format version (= 1)
///   1      u8       flags: bit0 retain · bit1 persistent · bit2 expiry present · bits 3..7 zero
///   2      u8       qos             (QualityOfService 0..2)
///   3      u8       payload format  (PayloadFormat 0..1)
///   4      u8       origin protocol (ProtocolKind 0..4)
///   5      i64      timestamp, Unix milliseconds
///  13      i64      expiry interval, TimeSpan ticks          (present only when flags.bit2)
///   ..     str      topic                   varint n, n bytes UTF-8
///   ..     nstr     content type            varint n+1, n bytes UTF-8 (0 = null)
///   ..     nstr     response topic
///   ..     nstr     key
///   ..     nstr     origin client id
///   ..     bytes    correlation data        varint n, n bytes
///   ..     varint   header count h, then h × (str name, str value)
///   ..     bytes    payload                 varint n, n bytes; last, so readers slice it, and it must
///                                           end exactly at the end of the record
/// </code>
/// A new field means a new version byte; readers keep decoding every older version.
/// Strings are strict UTF-8: a string with a lone surrogate is refused on write (adapters validate at
/// ingress, so this never corrupts silently) and invalid UTF-8 is refused on read.
/// </remarks>
public static class MessageSerializer
{
    public const byte CurrentVersion = 1;

    private const byte FlagRetain = 0x01;
    private const byte FlagPersistent = 0x02;
    private const byte FlagExpiry = 0x04;
    private const byte KnownFlags = FlagRetain | FlagPersistent | FlagExpiry;
    private const int FixedHeaderSize = 13;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The exact number of bytes <see cref="Write(Message, Span{byte})"/> produces.</summary>
    /// <exception cref="ArgumentException">A string field is not valid UTF-16 (lone surrogate).</exception>
    public static int GetSize(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        long size = FixedHeaderSize;
        if (message.ExpiryInterval is not null)
        {
            size += 8;
        }

        size += StringSize(message.Topic, nameof(Message.Topic));
        size += NullableStringSize(message.ContentType, nameof(Message.ContentType));
        size += NullableStringSize(message.ResponseTopic, nameof(Message.ResponseTopic));
        size += NullableStringSize(message.Key, nameof(Message.Key));
        size += NullableStringSize(message.Origin.ClientId, "Origin.ClientId");
        size += VarintSize(message.CorrelationData.Length) + message.CorrelationData.Length;
        var headers = message.Headers;
        size += VarintSize(headers.Count);
        for (var i = 0; i < headers.Count; i++)
        {
            size += StringSize(headers[i].Name, "Headers.Name") + StringSize(headers[i].Value, "Headers.Value");
        }

        size += VarintSize(message.Payload.Length) + message.Payload.Length;
        return size <= int.MaxValue ? (int)size : throw new ArgumentException("The encoded message would exceed 2 GiB.", nameof(message));
    }

    /// <summary>Writes the message into <paramref name="writer"/> (one GetSpan/Advance); returns the bytes written.</summary>
    public static int Write(Message message, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var size = GetSize(message);
        var written = WriteCore(message, writer.GetSpan(size), size);
        writer.Advance(written);
        return written;
    }

    /// <summary>Writes the message into <paramref name="destination"/>; returns the bytes written.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="GetSize"/>.</exception>
    public static int Write(Message message, Span<byte> destination) => WriteCore(message, destination, GetSize(message));

    /// <summary>Like <see cref="Write(Message, Span{byte})"/> when the caller already has <see cref="GetSize"/> (saves a pass).</summary>
    internal static int Write(Message message, Span<byte> destination, int size) => WriteCore(message, destination, size);

    /// <summary>
    /// Decodes a record. <see cref="Message.Payload"/> and <see cref="Message.CorrelationData"/> are slices of
    /// <paramref name="source"/> (no copy), so the caller must not reuse that buffer while the message lives.
    /// </summary>
    /// <exception cref="MessageFormatException">Truncated, garbage, or an unknown format version.</exception>
    public static Message Read(ReadOnlyMemory<byte> source)
    {
        var reader = new MessageReader(source.Span);
        var version = reader.ReadByte("format version");
        if (version != CurrentVersion)
        {
            throw new MessageFormatException($"Unknown message format version {version} (this build reads version {CurrentVersion}).");
        }

        var flags = reader.ReadByte("flags");
        if ((flags & ~KnownFlags) != 0)
        {
            throw new MessageFormatException($"Unknown message flags 0x{flags:X2}.");
        }

        var qos = reader.ReadByte("qos");
        var payloadFormat = reader.ReadByte("payload format");
        var protocol = reader.ReadByte("origin protocol");
        if (qos > (byte)QualityOfService.ExactlyOnce || payloadFormat > (byte)PayloadFormat.Utf8 || protocol > (byte)ProtocolKind.Http)
        {
            throw new MessageFormatException($"Out-of-range enum value (qos {qos}, payload format {payloadFormat}, protocol {protocol}).");
        }

        var timestamp = reader.ReadInt64("timestamp");
        TimeSpan? expiry = (flags & FlagExpiry) != 0 ? TimeSpan.FromTicks(reader.ReadInt64("expiry interval")) : null;
        var topic = reader.ReadString("topic");
        var contentType = reader.ReadNullableString("content type");
        var responseTopic = reader.ReadNullableString("response topic");
        var key = reader.ReadNullableString("key");
        var clientId = reader.ReadNullableString("origin client id");
        var correlation = reader.ReadBytes("correlation data");
        var headerCount = reader.ReadVarint("header count");

        // Each header takes at least two bytes: bound the array by what is left, never by the claimed count.
        if (headerCount > reader.Remaining / 2)
        {
            throw new MessageFormatException($"Header count {headerCount} exceeds what the remaining {reader.Remaining} bytes can hold.");
        }

        var headers = headerCount == 0 ? [] : new MessageHeader[headerCount];
        for (var i = 0; i < headerCount; i++)
        {
            headers[i] = new MessageHeader(reader.ReadString("header name"), reader.ReadString("header value"));
        }

        var payload = reader.ReadBytes("payload");
        if (reader.Remaining != 0)
        {
            throw new MessageFormatException($"{reader.Remaining} unexpected bytes after the payload.");
        }

        var origin = protocol == (byte)ProtocolKind.Internal && clientId is null
            ? MessageOrigin.Internal
            : new MessageOrigin((ProtocolKind)protocol, clientId);
        return new Message
        {
            Topic = topic,
            Payload = source.Slice(payload.Start, payload.Length),
            ContentType = contentType,
            PayloadFormat = (PayloadFormat)payloadFormat,
            CorrelationData = correlation.Length == 0 ? ReadOnlyMemory<byte>.Empty : source.Slice(correlation.Start, correlation.Length),
            ResponseTopic = responseTopic,
            Headers = headers,
            ExpiryInterval = expiry,
            TimestampMs = timestamp,
            Key = key,
            Qos = (QualityOfService)qos,
            Retain = (flags & FlagRetain) != 0,
            Persistent = (flags & FlagPersistent) != 0,
            Origin = origin,
        };
    }

    private static int WriteCore(Message message, Span<byte> destination, int size)
    {
        if (destination.Length < size)
        {
            throw new ArgumentException($"The destination holds {destination.Length} bytes; the message needs {size}.", nameof(destination));
        }

        var flags = (byte)((message.Retain ? FlagRetain : 0) | (message.Persistent ? FlagPersistent : 0) | (message.ExpiryInterval is null ? 0 : FlagExpiry));
        destination[0] = CurrentVersion;
        destination[1] = flags;
        destination[2] = (byte)message.Qos;
        destination[3] = (byte)message.PayloadFormat;
        destination[4] = (byte)message.Origin.Protocol;
        BinaryPrimitives.WriteInt64LittleEndian(destination[5..], message.TimestampMs);
        var pos = FixedHeaderSize;
        if (message.ExpiryInterval is { } expiry)
        {
            BinaryPrimitives.WriteInt64LittleEndian(destination[pos..], expiry.Ticks);
            pos += 8;
        }

        pos += WriteString(destination[pos..], message.Topic);
        pos += WriteNullableString(destination[pos..], message.ContentType);
        pos += WriteNullableString(destination[pos..], message.ResponseTopic);
        pos += WriteNullableString(destination[pos..], message.Key);
        pos += WriteNullableString(destination[pos..], message.Origin.ClientId);
        pos += WriteBytes(destination[pos..], message.CorrelationData.Span);
        var headers = message.Headers;
        pos += WriteVarint(destination[pos..], headers.Count);
        for (var i = 0; i < headers.Count; i++)
        {
            pos += WriteString(destination[pos..], headers[i].Name);
            pos += WriteString(destination[pos..], headers[i].Value);
        }

        pos += WriteBytes(destination[pos..], message.Payload.Span);
        return pos;
    }

    private static int StringSize(string value, string field)
    {
        var n = Utf8Count(value, field);
        return VarintSize(n) + n;
    }

    private static int NullableStringSize(string? value, string field)
    {
        if (value is null)
        {
            return 1;
        }

        var n = Utf8Count(value, field);
        return VarintSize(n + 1) + n;
    }

    private static int Utf8Count(string value, string field)
    {
        try
        {
            return StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException ex)
        {
            throw new ArgumentException($"Message field {field} is not valid UTF-16 text (lone surrogate).", ex);
        }
    }

    private static int WriteString(Span<byte> destination, string value)
    {
        var n = StrictUtf8.GetByteCount(value);
        var header = WriteVarint(destination, n);
        return header + StrictUtf8.GetBytes(value, destination[header..]);
    }

    private static int WriteNullableString(Span<byte> destination, string? value)
    {
        if (value is null)
        {
            destination[0] = 0;
            return 1;
        }

        var n = StrictUtf8.GetByteCount(value);
        var header = WriteVarint(destination, n + 1);
        return header + StrictUtf8.GetBytes(value, destination[header..]);
    }

    private static int WriteBytes(Span<byte> destination, ReadOnlySpan<byte> value)
    {
        var header = WriteVarint(destination, value.Length);
        value.CopyTo(destination[header..]);
        return header + value.Length;
    }

    internal static int VarintSize(int value)
    {
        var v = (uint)value;
        var n = 1;
        while (v >= 0x80)
        {
            v >>= 7;
            n++;
        }

        return n;
    }

    internal static int WriteVarint(Span<byte> destination, int value)
    {
        var v = (uint)value;
        var i = 0;
        while (v >= 0x80)
        {
            destination[i++] = (byte)(v | 0x80);
            v >>= 7;
        }

        destination[i++] = (byte)v;
        return i;
    }

    /// <summary>A bounds-checked cursor: every read names its field so errors say what was truncated.</summary>
    private ref struct MessageReader
    {
        private readonly ReadOnlySpan<byte> _span;
        private int _pos;

        public MessageReader(ReadOnlySpan<byte> span)
        {
            _span = span;
            _pos = 0;
        }

        public readonly int Remaining => _span.Length - _pos;

        public byte ReadByte(string field)
        {
            Need(1, field);
            return _span[_pos++];
        }

        public long ReadInt64(string field)
        {
            Need(8, field);
            var value = BinaryPrimitives.ReadInt64LittleEndian(_span[_pos..]);
            _pos += 8;
            return value;
        }

        public int ReadVarint(string field)
        {
            uint result = 0;
            for (var shift = 0; shift < 35; shift += 7)
            {
                var b = ReadByte(field);
                result |= (uint)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    if ((shift == 28 && b > 0x07) || result > int.MaxValue)
                    {
                        break;
                    }

                    return (int)result;
                }
            }

            throw new MessageFormatException($"Malformed length of {field} at byte {_pos} (varint overflows).");
        }

        public (int Start, int Length) ReadBytes(string field)
        {
            var length = ReadVarint(field);
            Need(length, field);
            var start = _pos;
            _pos += length;
            return (start, length);
        }

        public string ReadString(string field)
        {
            var (start, length) = ReadBytes(field);
            return Decode(start, length, field);
        }

        public string? ReadNullableString(string field)
        {
            var lengthPlusOne = ReadVarint(field);
            if (lengthPlusOne == 0)
            {
                return null;
            }

            var length = lengthPlusOne - 1;
            Need(length, field);
            var start = _pos;
            _pos += length;
            return Decode(start, length, field);
        }

        private readonly string Decode(int start, int length, string field)
        {
            try
            {
                return StrictUtf8.GetString(_span.Slice(start, length));
            }
            catch (DecoderFallbackException ex)
            {
                throw new MessageFormatException($"Field {field} at byte {start} is not valid UTF-8.", ex);
            }
        }

        private readonly void Need(int count, string field)
        {
            if (count > _span.Length - _pos)
            {
                throw new MessageFormatException($"Truncated message: {field} needs {count} bytes at byte {_pos}, {_span.Length - _pos} left.");
            }
        }
    }
}
