namespace EdgeBroker.Core.Broker;

/// <summary>
/// Broker-wide resource alarms, raised and cleared by the host's monitors (RabbitMQ's disk and memory alarms).
/// Disk: while on, a publish that would reach a durable target (queue, stream, retained store) is refused as
/// <see cref="Routing.PublishOutcome.Failed"/> before anything is stored or delivered, so no protocol acknowledges
/// what the disk may not hold (R3, F-disk-full); consumers keep draining and acking.
/// Memory: while on, publishers are held, not refused: each connection's <see cref="Limits.PublishGate"/> stops
/// reading from a client that publishes until <see cref="WhenMemoryAlarmClearedAsync"/> completes, so TCP flow
/// control slows it down; consumers keep reading and acking, which is what frees memory.
/// Thread-safety: volatile flags for the hot-path reads; raise/clear of the memory alarm take one lock.
/// </summary>
public sealed class ResourceAlarms
{
    private readonly Lock _memoryGate = new();
    private volatile string? _diskReason;
    private volatile string? _memoryReason;
    private TaskCompletionSource _memoryCleared = Cleared();

    /// <summary>True while free disk space is below the configured limit.</summary>
    public bool DiskAlarm => _diskReason is not null;

    /// <summary>Why the disk alarm is on, for the negative answers; null when off.</summary>
    public string? DiskReason => _diskReason;

    /// <summary>True while the broker's memory use is above the high watermark.</summary>
    public bool MemoryAlarm => _memoryReason is not null;

    /// <summary>Why the memory alarm is on, for request/response publishers (HTTP, hub) that get refused; null when off.</summary>
    public string? MemoryReason => _memoryReason;

    public void RaiseDiskAlarm(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        _diskReason = reason;
    }

    public void ClearDiskAlarm() => _diskReason = null;

    public void RaiseMemoryAlarm(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        lock (_memoryGate)
        {
            if (_memoryReason is null)
            {
                _memoryCleared = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            _memoryReason = reason;
        }
    }

    public void ClearMemoryAlarm()
    {
        TaskCompletionSource cleared;
        lock (_memoryGate)
        {
            _memoryReason = null;
            cleared = _memoryCleared;
        }

        cleared.TrySetResult();
    }

    /// <summary>Completes when the memory alarm is off (at once if it is off now).</summary>
    public Task WhenMemoryAlarmClearedAsync()
    {
        lock (_memoryGate)
        {
            return _memoryReason is null ? Task.CompletedTask : _memoryCleared.Task;
        }
    }

    private static TaskCompletionSource Cleared()
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.SetResult();
        return source;
    }
}
