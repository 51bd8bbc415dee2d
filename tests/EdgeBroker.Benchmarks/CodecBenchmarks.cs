namespace EdgeBroker.Benchmarks;

using BenchmarkDotNet.Attributes;
using EdgeBroker.Benchmarks.Workloads;

/// <summary>MQTT and STOMP decode/encode of one 128-byte message (see <see cref="CodecWorkloads"/>).</summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private readonly CodecWorkloads _work = new();

    [Benchmark]
    public int MqttDecodePublish() => _work.MqttDecodePublish();

    [Benchmark]
    public int MqttEncodePublish() => _work.MqttEncodePublish();

    [Benchmark]
    public int StompDecodeSend() => _work.StompDecodeSend();

    [Benchmark]
    public int StompEncodeMessage() => _work.StompEncodeMessage();
}
