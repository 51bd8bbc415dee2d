namespace EdgeBroker.Bench.Scenarios;

using EdgeBroker.Bench.Stats;

/// <summary>A snapshot of the run's counters and the broker's CPU time; the difference of two is the measurement window.</summary>
public readonly record struct WindowCounts(long Sent, long Acked, long Received, double? CpuSeconds)
{
    public static WindowCounts Take(BenchRun run, BrokerProcessSampler? sampler) =>
        new(run.Sent, run.Acked, run.Received, sampler?.CpuSeconds());

    public static WindowCounts operator -(WindowCounts end, WindowCounts start) =>
        new(end.Sent - start.Sent, end.Acked - start.Acked, end.Received - start.Received,
            end.CpuSeconds is { } e && start.CpuSeconds is { } s ? e - s : null);
}
