namespace EdgeBroker.Server.Limits;

using EdgeBroker.Server.Configuration;
using EdgeBroker.Server.Hosting;
using Microsoft.Extensions.Options;

/// <summary>
/// Samples managed memory every <c>Limits:MemoryCheckIntervalMs</c> and raises or clears the host's memory alarm
/// through <see cref="MemoryWatermark"/>. Off when the watermark resolves to 0. Thread-safety: one background loop.
/// </summary>
internal sealed class MemoryMonitor(BrokerAccessor accessor, IOptions<EdgeBrokerOptions> options, TimeProvider time, ILogger<MemoryMonitor> logger) : BackgroundService
{
    /// <summary>The running watermark, for /metrics; null while off.</summary>
    public MemoryWatermark? Watermark { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var limits = options.Value.Limits;
        var bytes = MemoryWatermark.Resolve(limits.MemoryHighWatermarkBytes, limits.MemoryHighWatermarkFraction, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
        if (bytes <= 0)
        {
            return;
        }

        Watermark = new MemoryWatermark(bytes, accessor.Alarms, logger);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(limits.MemoryCheckIntervalMs), time);
        do
        {
            Watermark.Sample();
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
