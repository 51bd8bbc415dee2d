namespace EdgeBroker.Benchmarks;

using BenchmarkDotNet.Attributes;
using EdgeBroker.Core.Topics;

/// <summary>
/// Topic matching on a realistic subscription set: one exact filter per device, per-device <c>#</c> filters,
/// a few fleet-wide <c>+</c> filters and an <c>alerts/#</c> monitor. The baseline scans every filter with
/// <see cref="TopicFilter.Matches"/>, the way a broker without a trie would, measured in the same run.
/// </summary>
[MemoryDiagnoser]
public class TopicMatchBenchmarks
{
    private const string HitTopic = "sensors/dev4242/temp";
    private const string MissTopic = "factory/line7/press/3";

    private readonly List<(string Filter, int Value)> _flat = [];
    private TopicTree<int> _cached = null!;
    private TopicTree<int> _uncached = null!;

    /// <summary>Devices; each contributes <c>sensors/devN/temp</c> and <c>sensors/devN/#</c>.</summary>
    [Params(10_000)]
    public int Devices { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _cached = new TopicTree<int>();
        _uncached = new TopicTree<int>(cacheCapacity: 0);
        var value = 0;
        for (var d = 0; d < Devices; d++)
        {
            Add($"sensors/dev{d}/temp", value++);
            Add($"sensors/dev{d}/#", value++);
        }

        foreach (var fleet in (string[])["sensors/+/temp", "sensors/+/humidity", "+/+/temp", "alerts/#"])
        {
            Add(fleet, value++);
        }

        // Warm the cache so Hit_Cached measures the steady state of a sensor publishing every few seconds.
        _ = _cached.Match(HitTopic);
    }

    [Benchmark(Baseline = true)]
    public int Hit_BruteForceScan()
    {
        var matched = 0;
        foreach (var (filter, _) in _flat)
        {
            if (TopicFilter.Matches(filter, HitTopic))
            {
                matched++;
            }
        }

        return matched;
    }

    [Benchmark]
    public int Hit_Cached() => _cached.Match(HitTopic).Length;

    [Benchmark]
    public int Hit_Uncached() => _uncached.Match(HitTopic).Length;

    [Benchmark]
    public int Miss_Uncached() => _uncached.Match(MissTopic).Length;

    private void Add(string filter, int value)
    {
        _flat.Add((filter, value));
        _cached.Add(filter, value);
        _uncached.Add(filter, value);
    }
}
