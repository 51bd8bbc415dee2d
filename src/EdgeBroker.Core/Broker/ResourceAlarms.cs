namespace EdgeBroker.Core.Broker;

/// <summary>
/// Broker-wide resource alarms, raised and cleared by the host's monitors (RabbitMQ's disk and memory alarms).
/// While the disk alarm is on, a publish that would reach a durable target (queue, stream, retained store) is
/// refused as <see cref="Routing.PublishOutcome.Failed"/> before anything is stored or delivered, so no
/// protocol acknowledges what the disk may not hold (R3, F-disk-full); consumers keep draining and acking.
/// Thread-safety: volatile flags; any thread may read or set them.
/// </summary>
public sealed class ResourceAlarms
{
    private volatile string? _diskReason;

    /// <summary>True while free disk space is below the configured limit.</summary>
    public bool DiskAlarm => _diskReason is not null;

    /// <summary>Why the disk alarm is on, for the negative answers; null when off.</summary>
    public string? DiskReason => _diskReason;

    public void RaiseDiskAlarm(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        _diskReason = reason;
    }

    public void ClearDiskAlarm() => _diskReason = null;
}
