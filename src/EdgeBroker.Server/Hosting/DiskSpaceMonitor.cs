namespace EdgeBroker.Server.Hosting;

using System.Globalization;
using EdgeBroker.Server.Configuration;
using EdgeBroker.Server.Logging;
using Microsoft.Extensions.Options;

/// <summary>
/// Samples free space on the data directory's file system and raises or clears the broker's disk alarm
/// (<see cref="Core.Broker.ResourceAlarms"/>), so durable publishes are refused before the disk fills instead of
/// failing mid-write and taking logs read-only (R11). Consumers keep acking while the alarm is on, which is what
/// frees space in queues. Logs each transition once. Thread-safety: one background loop.
/// </summary>
internal sealed class DiskSpaceMonitor(BrokerAccessor accessor, IOptions<EdgeBrokerOptions> options, TimeProvider time, ILogger<DiskSpaceMonitor> logger) : BackgroundService
{
    /// <summary>The last sample, for /metrics; -1 before the first.</summary>
    public long FreeBytes { get; private set; } = -1;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var storage = options.Value.Storage;
        if (storage.MinFreeDiskBytes <= 0)
        {
            return;
        }

        var directory = Path.GetFullPath(options.Value.DataDirectory);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(storage.DiskCheckIntervalMs), time);
        do
        {
            Sample(directory, storage.MinFreeDiskBytes);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private void Sample(string directory, long limit)
    {
        if (accessor.Runtime?.Alarms is not { } alarms || !Directory.Exists(directory))
        {
            return;
        }

        long free;
        try
        {
            free = new DriveInfo(directory).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return;
        }

        FreeBytes = free;
        if (free < limit && !alarms.DiskAlarm)
        {
            var reason = string.Create(CultureInfo.InvariantCulture, $"disk alarm: {free / 1024} KiB free on the data directory's file system, below the {limit / 1024} KiB limit (EdgeBroker:Storage:MinFreeDiskBytes); durable publishes are refused until space returns");
            alarms.RaiseDiskAlarm(reason);
            BrokerLog.DiskAlarmRaised(logger, free, limit);
        }
        else if (free >= limit && alarms.DiskAlarm)
        {
            alarms.ClearDiskAlarm();
            BrokerLog.DiskAlarmCleared(logger, free, limit);
        }
    }
}
