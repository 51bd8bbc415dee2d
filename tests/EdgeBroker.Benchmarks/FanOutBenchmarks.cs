namespace EdgeBroker.Benchmarks;

using BenchmarkDotNet.Attributes;
using EdgeBroker.Benchmarks.Workloads;

/// <summary>One QoS 0 publish routed to N live subscribers without sockets (see <see cref="FanOutWorkload"/>).</summary>
[MemoryDiagnoser]
public class FanOutBenchmarks : IDisposable
{
    private FanOutWorkload _work = null!;

    [Params(1, 50, 1000)]
    public int Subscribers { get; set; }

    [GlobalSetup]
    public void Setup() => _work = new FanOutWorkload(Subscribers);

    [GlobalCleanup]
    public void Cleanup() => _work?.DisposeAsync().AsTask().GetAwaiter().GetResult();

    public void Dispose()
    {
        Cleanup();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public int Publish() => _work.Publish();
}
