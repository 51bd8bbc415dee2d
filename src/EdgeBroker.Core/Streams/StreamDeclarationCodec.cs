namespace EdgeBroker.Core.Streams;

using System.Buffers;
using System.Text.Json;
using EdgeBroker.Storage;

/// <summary>
/// The stored form of a <see cref="StreamDeclaration"/> (a value in the store's declaration log): a small
/// UTF-8 JSON object, readable by an operator, written and parsed without reflection. Stateless, thread-safe.
/// <code>
///  {"v":1,"name":"telemetry","partitions":4,"filters":["sensors/#"],"partitioning":0,
///   "retentionAgeMs":86400000,"retentionBytes":null,"segmentBytes":null,"fsync":"always",
///   "lingerMs":null,"maxBatchBytes":null}
/// </code>
/// <c>partitioning</c> is the numeric <see cref="StreamPartitioning"/> value; a new field keeps <c>v</c> at 1
/// when older readers may ignore it, otherwise bumps it.
/// </summary>
public static class StreamDeclarationCodec
{
    private const int Version = 1;

    public static byte[] Serialize(StreamDeclaration declaration)
    {
        ArgumentNullException.ThrowIfNull(declaration);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", Version);
            writer.WriteString("name", declaration.Name);
            writer.WriteNumber("partitions", declaration.Partitions);
            writer.WriteStartArray("filters");
            foreach (var filter in declaration.Filters)
            {
                writer.WriteStringValue(filter);
            }

            writer.WriteEndArray();
            writer.WriteNumber("partitioning", (int)declaration.Partitioning);
            WriteNullable(writer, "retentionAgeMs", declaration.RetentionAge is { } age ? (long)age.TotalMilliseconds : null);
            WriteNullable(writer, "retentionBytes", declaration.RetentionBytes);
            WriteNullable(writer, "segmentBytes", declaration.SegmentBytes);
            if (declaration.Fsync is { } fsync)
            {
                writer.WriteString("fsync", fsync.ToString());
            }
            else
            {
                writer.WriteNull("fsync");
            }

            WriteNullable(writer, "lingerMs", declaration.Linger is { } linger ? (long)linger.TotalMilliseconds : null);
            WriteNullable(writer, "maxBatchBytes", declaration.MaxBatchBytes);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <exception cref="FormatException">Not a declaration this build can read.</exception>
    public static StreamDeclaration Deserialize(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            if (root.GetProperty("v").GetInt32() != Version)
            {
                throw new FormatException($"unknown stream declaration version {root.GetProperty("v").GetInt32()}");
            }

            return new StreamDeclaration
            {
                Name = root.GetProperty("name").GetString() ?? throw new FormatException("the name is null"),
                Partitions = root.GetProperty("partitions").GetInt32(),
                Filters = [.. root.GetProperty("filters").EnumerateArray().Select(f => f.GetString() ?? throw new FormatException("a filter is null"))],
                Partitioning = (StreamPartitioning)root.GetProperty("partitioning").GetInt32(),
                RetentionAge = ReadNullable(root, "retentionAgeMs") is { } age ? TimeSpan.FromMilliseconds(age) : null,
                RetentionBytes = ReadNullable(root, "retentionBytes"),
                SegmentBytes = ReadNullable(root, "segmentBytes"),
                Fsync = root.TryGetProperty("fsync", out var fsync) && fsync.ValueKind == JsonValueKind.String ? FsyncPolicy.Parse(fsync.GetString()!) : null,
                Linger = ReadNullable(root, "lingerMs") is { } linger ? TimeSpan.FromMilliseconds(linger) : null,
                MaxBatchBytes = ReadNullable(root, "maxBatchBytes") is { } batch ? checked((int)batch) : null,
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or OverflowException)
        {
            throw new FormatException($"unreadable stream declaration: {ex.Message}", ex);
        }
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static long? ReadNullable(JsonElement root, string name) =>
        root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.Number ? element.GetInt64() : null;
}
