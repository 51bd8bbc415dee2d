namespace EdgeBroker.Benchmarks.Workloads;

using System.Buffers;
using System.Text;
using EdgeBroker.Mqtt.Codec;
using EdgeBroker.Stomp.Codec;

/// <summary>
/// One operation each of the codecs' hot paths, set up once: decode a 128-byte QoS 1 PUBLISH (MQTT 5, with the
/// properties a real client sends), encode one, decode a STOMP SEND, encode a STOMP MESSAGE. Used by the
/// BenchmarkDotNet classes (timing and allocations) and by the allocation-budget tests (allocations only), so
/// both measure exactly the same code. Not thread-safe: one instance per benchmark/test.
/// </summary>
public sealed class CodecWorkloads
{
    public const int PayloadBytes = 128;

    private readonly byte[] _mqttPublishBytes;
    private readonly MqttPublishPacket _mqttPublish;
    private readonly byte[] _stompSendBytes;
    private readonly StompHeader[] _stompMessageHeaders;
    private readonly byte[] _payload = new byte[PayloadBytes];
    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private readonly MqttCodecLimits _mqttLimits = MqttCodecLimits.Default;
    private readonly StompCodecLimits _stompLimits = new();

    public CodecWorkloads()
    {
        Random.Shared.NextBytes(_payload);
        _mqttPublish = new MqttPublishPacket
        {
            Topic = "sensors/building-7/floor-3/room-12/temperature",
            Qos = MqttQos.AtLeastOnce,
            PacketId = 4242,
            Payload = new ReadOnlySequence<byte>(_payload),
        };
        var writer = new ArrayBufferWriter<byte>();
        MqttPacketWriter.Write(writer, _mqttPublish, MqttProtocolVersion.V500);
        _mqttPublishBytes = writer.WrittenSpan.ToArray();

        var send = new StringBuilder("SEND\ndestination:/topic/sensors/building-7/floor-3/room-12/temperature\ncontent-type:application/octet-stream\n")
            .Append("content-length:").Append(PayloadBytes).Append("\nreceipt:77\n\n").ToString();
        _stompSendBytes = [.. Encoding.UTF8.GetBytes(send), .. _payload, 0];
        _stompMessageHeaders =
        [
            new("subscription", "sub-0"),
            new("message-id", "1234567"),
            new("destination", "/topic/sensors/building-7/floor-3/room-12/temperature"),
            new("content-type", "application/octet-stream"),
        ];
    }

    public int MqttDecodePublish()
    {
        var buffer = new ReadOnlySequence<byte>(_mqttPublishBytes);
        MqttPacketReader.TryRead(ref buffer, MqttProtocolVersion.V500, _mqttLimits, out var packet, out _);
        return ((MqttPublishPacket)packet!).PacketId;
    }

    public int MqttEncodePublish()
    {
        _output.ResetWrittenCount();
        return MqttPacketWriter.Write(_output, _mqttPublish, MqttProtocolVersion.V311);
    }

    public int StompDecodeSend()
    {
        var buffer = new ReadOnlySequence<byte>(_stompSendBytes);
        StompFrameReader.TryRead(ref buffer, StompVersion.V12, _stompLimits, out var frame);
        return frame!.Body.Length;
    }

    public int StompEncodeMessage()
    {
        _output.ResetWrittenCount();
        StompFrameWriter.Write(_output, StompCommand.Message, _stompMessageHeaders, _payload, StompVersion.V12);
        return _output.WrittenCount;
    }
}
