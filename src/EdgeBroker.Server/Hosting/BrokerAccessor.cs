namespace EdgeBroker.Server.Hosting;

using EdgeBroker.Core;
using EdgeBroker.Storage;

/// <summary>
/// Hands the running broker to the endpoints. Set by <see cref="BrokerHostedService"/> once start-up finished
/// and cleared when shutdown begins; endpoints answer 503 in between. Thread-safe (volatile reference swap).
/// </summary>
public sealed class BrokerAccessor
{
    private volatile BrokerRuntime? _runtime;

    public BrokerAccessor(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        StartedAt = time.GetUtcNow();
    }

    public DateTimeOffset StartedAt { get; }

    public FsyncPolicy FsyncPolicy { get; internal set; } = FsyncPolicy.Always;

    /// <summary>Every log of this host records its fsync durations here (exposed by /metrics).</summary>
    public FsyncLatencyHistogram FsyncLatency { get; } = new();

    public BrokerRuntime? Runtime => _runtime;

    /// <summary>
    /// The resource alarms of this host: created here, not with the broker, because the adapters' publish gates and
    /// the monitors hold them before the broker opens and across a restart of the runtime.
    /// </summary>
    public Core.Broker.ResourceAlarms Alarms { get; } = new();

    public bool TryGetBroker(out IBroker broker)
    {
        broker = _runtime?.Broker!;
        return broker is not null;
    }

    internal void Set(BrokerRuntime? runtime) => _runtime = runtime;
}
