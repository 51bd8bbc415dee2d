namespace EdgeBroker.Server.Hub;

using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Streams;
using EdgeBroker.Server.Hub.Contracts;

/// <summary>Builds the wire records of the hub events from core types. Stateless.</summary>
internal static class HubEvents
{
    private static readonly string[] ProtocolNames = [.. Enum.GetValues<ProtocolKind>().Select(p => p.ToString().ToLowerInvariant())];

    public static string ProtocolName(ProtocolKind protocol) => (uint)protocol < (uint)ProtocolNames.Length ? ProtocolNames[(int)protocol] : "internal";

    public static HubMessage ToMessage(Message message, string subscriptionId, bool retained)
    {
        var (payload, encoding) = PayloadEncoding.Encode(message.Payload.Span);
        return new HubMessage(
            subscriptionId,
            message.Topic,
            payload,
            encoding,
            message.ContentType,
            Headers(message.Headers),
            ProtocolName(message.Origin.Protocol),
            message.TimestampMs,
            (int)message.Qos,
            retained);
    }

    public static HubStreamRecord ToRecord(string stream, StreamRecord record, string? subscriptionId)
    {
        var message = record.Message;
        var (payload, encoding) = PayloadEncoding.Encode(message.Payload.Span);
        return new HubStreamRecord(subscriptionId, stream, record.Partition, record.Offset, record.TimestampMs, message.Topic, message.Key, payload, encoding, message.ContentType, Headers(message.Headers));
    }

    /// <summary>Headers as a JSON object; a repeated name keeps its last value (MQTT user properties may repeat).</summary>
    private static Dictionary<string, string> Headers(IReadOnlyList<MessageHeader> headers)
    {
        var result = new Dictionary<string, string>(headers.Count, StringComparer.Ordinal);
        foreach (var header in headers)
        {
            result[header.Name] = header.Value;
        }

        return result;
    }
}
