namespace EdgeBroker.Server.Limits;

using System.Globalization;
using EdgeBroker.Core.Broker;
using EdgeBroker.Server.Logging;

/// <summary>
/// Decides the memory alarm from samples (RabbitMQ's <c>vm_memory_high_watermark</c>): raised when the managed
/// memory in use reaches the watermark, cleared when it is back below. Garbage only ever makes the cheap sample
/// too high, so a sample at or above the watermark is confirmed after a full collection before it counts; that
/// costs one collection per check while memory really is high, and none otherwise. Logs each transition once.
/// Thread-safety: one caller (the monitor loop).
/// </summary>
internal sealed class MemoryWatermark
{
    private readonly ResourceAlarms _alarms;
    private readonly ILogger _logger;
    private readonly Func<bool, long> _usedBytes;

    /// <param name="usedBytes">Managed bytes in use; the argument asks for a full collection first (<see cref="GC.GetTotalMemory"/>).</param>
    public MemoryWatermark(long watermarkBytes, ResourceAlarms alarms, ILogger logger, Func<bool, long>? usedBytes = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(watermarkBytes);
        ArgumentNullException.ThrowIfNull(alarms);
        ArgumentNullException.ThrowIfNull(logger);
        WatermarkBytes = watermarkBytes;
        _alarms = alarms;
        _logger = logger;
        _usedBytes = usedBytes ?? GC.GetTotalMemory;
    }

    public long WatermarkBytes { get; }

    /// <summary>The last sample, for /metrics; -1 before the first.</summary>
    public long UsedBytes { get; private set; } = -1;

    /// <summary>The watermark for the configuration: the absolute value, else the fraction of available memory; 0 = off.</summary>
    public static long Resolve(long watermarkBytes, double fraction, long availableBytes) =>
        watermarkBytes > 0 ? watermarkBytes : (long)(fraction * availableBytes);

    public void Sample()
    {
        var used = _usedBytes(false);
        if (used >= WatermarkBytes)
        {
            used = _usedBytes(true);
        }

        UsedBytes = used;
        if (used >= WatermarkBytes && !_alarms.MemoryAlarm)
        {
            _alarms.RaiseMemoryAlarm(string.Create(CultureInfo.InvariantCulture, $"memory alarm: {used / (1024 * 1024)} MiB in use, above the {WatermarkBytes / (1024 * 1024)} MiB high watermark (EdgeBroker:Limits:MemoryHighWatermark*); publishing is paused until it clears"));
            BrokerLog.MemoryAlarmRaised(_logger, used, WatermarkBytes);
        }
        else if (used < WatermarkBytes && _alarms.MemoryAlarm)
        {
            _alarms.ClearMemoryAlarm();
            BrokerLog.MemoryAlarmCleared(_logger, used, WatermarkBytes);
        }
    }
}
