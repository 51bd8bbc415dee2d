namespace EdgeBroker.Benchmarks;

using BenchmarkDotNet.Attributes;
using EdgeBroker.Benchmarks.Workloads;

/// <summary>Topic match against 20,003 filters, most of them ending in <c>#</c> (see <see cref="TopicWorkloads"/>).</summary>
[MemoryDiagnoser]
public class TopicManyHashBenchmarks
{
    private readonly TopicWorkloads _work = new();

    [Benchmark]
    public int Hit_Cached() => _work.HitCached();

    [Benchmark]
    public int Hit_Uncached() => _work.HitUncached();

    [Benchmark]
    public int Miss_Uncached() => _work.MissUncached();
}
