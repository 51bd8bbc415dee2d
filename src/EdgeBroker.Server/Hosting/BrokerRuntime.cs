namespace EdgeBroker.Server.Hosting;

using EdgeBroker.Core;
using EdgeBroker.Storage;

/// <summary>
/// The opened broker and everything it owns (queue store, retained store, logs), disposed together in the
/// order given: the broker first so nothing new is routed, then the stores, which drain, fsync and write
/// their clean-shutdown markers. Thread-safety: immutable after construction; <see cref="DisposeAsync"/> once.
/// </summary>
public sealed class BrokerRuntime : IAsyncDisposable
{
    private readonly IReadOnlyList<IAsyncDisposable> _owned;
    private readonly Func<IReadOnlyList<LogStatus>> _logs;
    private int _disposed;

    /// <param name="broker">The routing core every endpoint talks to.</param>
    /// <param name="recoveryReports">What opening each log found (logged at start, exported by /metrics).</param>
    /// <param name="logs">A live view of the open logs (sizes, read-only state).</param>
    /// <param name="owned">Disposed in this order on shutdown.</param>
    public BrokerRuntime(IBroker broker, IReadOnlyList<RecoveryReport> recoveryReports, Func<IReadOnlyList<LogStatus>> logs, IReadOnlyList<IAsyncDisposable> owned)
    {
        Broker = broker;
        RecoveryReports = recoveryReports;
        _logs = logs;
        _owned = owned;
    }

    public IBroker Broker { get; }

    public IReadOnlyList<RecoveryReport> RecoveryReports { get; }

    public IReadOnlyList<LogStatus> Logs => _logs();

    /// <summary>Free-text notes the stores produced while opening (leftovers removed, unreadable records); logged at start.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The stream store (declare, read, consumer groups) for the stream endpoints; null when the composition has none.</summary>
    public Core.Streams.StreamStore? Streams { get; init; }
    /// <summary>Resource alarms of the routing core (free disk); null when the composition has none.</summary>
    public Core.Broker.ResourceAlarms? Alarms { get; init; }

    /// <summary>Persistent protocol sessions (MQTT); null when the factory keeps none.</summary>
    public Core.Sessions.ISessionStore? Sessions { get; init; }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        List<Exception>? errors = null;
        foreach (var owned in _owned)
        {
            try
            {
                await owned.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException or UnauthorizedAccessException)
            {
                // Keep closing the others: a store that failed to close must not leave later stores unflushed.
                (errors ??= []).Add(ex);
            }
        }

        if (errors is not null)
        {
            throw new AggregateException("Some stores failed to close cleanly.", errors);
        }
    }
}
