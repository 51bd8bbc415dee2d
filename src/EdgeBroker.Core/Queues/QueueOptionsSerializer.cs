namespace EdgeBroker.Core.Queues;

using System.Buffers.Binary;
using System.Text;
using EdgeBroker.Core.Messages;

/// <summary>
/// The declaration file of a queue (<c>&lt;root&gt;/&lt;name&gt;/queue.meta</c>, written with AtomicFile). Stateless, thread-safe.
/// </summary>
/// <remarks>
/// <code>
///  Version 1, little-endian.
///  +0  u8    version (= 1)
///  +1  u8    flags: bit0 MaxLength · bit1 MessageTtl · bit2 DeliveryLimit · bit3 DeadLetterQueue · bit4 AutoDelete
///  +2  u8    overflow (QueueOverflow)
///  ..  i64   max length                    (bit0)
///  ..  i64   message TTL, TimeSpan ticks   (bit1)
///  ..  i32   delivery limit                (bit2)
///  ..  u16   n, then n bytes UTF-8 dead-letter queue name ("" = drop) (bit3)
/// </code>
/// </remarks>
public static class QueueOptionsSerializer
{
    public const byte CurrentVersion = 1;

    public static byte[] Serialize(QueueOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var dlq = options.DeadLetterQueue is null ? null : Encoding.UTF8.GetBytes(options.DeadLetterQueue);
        var size = 3 + (options.MaxLength is null ? 0 : 8) + (options.MessageTtl is null ? 0 : 8) + (options.DeliveryLimit is null ? 0 : 4) + (dlq is null ? 0 : 2 + dlq.Length);
        var buffer = new byte[size];
        buffer[0] = CurrentVersion;
        buffer[1] = (byte)((options.MaxLength is null ? 0 : 1) | (options.MessageTtl is null ? 0 : 2) | (options.DeliveryLimit is null ? 0 : 4) | (dlq is null ? 0 : 8) | (options.AutoDelete ? 16 : 0));
        buffer[2] = (byte)options.Overflow;
        var pos = 3;
        if (options.MaxLength is { } max)
        {
            BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(pos), max);
            pos += 8;
        }

        if (options.MessageTtl is { } ttl)
        {
            BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(pos), ttl.Ticks);
            pos += 8;
        }

        if (options.DeliveryLimit is { } limit)
        {
            BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(pos), limit);
            pos += 4;
        }

        if (dlq is not null)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(pos), checked((ushort)dlq.Length));
            dlq.CopyTo(buffer.AsSpan(pos + 2));
        }

        return buffer;
    }

    /// <exception cref="MessageFormatException">Truncated, garbage or an unknown version.</exception>
    public static QueueOptions Deserialize(ReadOnlySpan<byte> data)
    {
        if (data.Length < 3 || data[0] != CurrentVersion || (data[1] & ~0x1F) != 0 || data[2] > (byte)QueueOverflow.DropHead)
        {
            throw new MessageFormatException($"Not a version {CurrentVersion} queue declaration ({data.Length} bytes).");
        }

        var flags = data[1];
        var pos = 3;
        long? max = null;
        TimeSpan? ttl = null;
        int? limit = null;
        string? dlq = null;
        try
        {
            if ((flags & 1) != 0)
            {
                max = BinaryPrimitives.ReadInt64LittleEndian(data[pos..]);
                pos += 8;
            }

            if ((flags & 2) != 0)
            {
                ttl = TimeSpan.FromTicks(BinaryPrimitives.ReadInt64LittleEndian(data[pos..]));
                pos += 8;
            }

            if ((flags & 4) != 0)
            {
                limit = BinaryPrimitives.ReadInt32LittleEndian(data[pos..]);
                pos += 4;
            }

            if ((flags & 8) != 0)
            {
                int n = BinaryPrimitives.ReadUInt16LittleEndian(data[pos..]);
                dlq = Encoding.UTF8.GetString(data.Slice(pos + 2, n));
                pos += 2 + n;
            }
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new MessageFormatException("Truncated queue declaration.", ex);
        }

        if (pos != data.Length)
        {
            throw new MessageFormatException($"{data.Length - pos} unexpected bytes after the queue declaration.");
        }

        return new QueueOptions
        {
            MaxLength = max,
            Overflow = (QueueOverflow)data[2],
            MessageTtl = ttl,
            DeliveryLimit = limit,
            DeadLetterQueue = dlq,
            AutoDelete = (flags & 16) != 0,
        };
    }
}
