namespace EdgeBroker.Core.Streams;

/// <summary>Store-wide stream settings.</summary>
public sealed record StreamStoreOptions
{
    /// <summary>How often retention runs and silent group members are expired; zero = never (call <see cref="StreamStore.RunMaintenance"/>).</summary>
    public TimeSpan MaintenanceInterval { get; init; } = TimeSpan.FromSeconds(1);

    public ConsumerGroupOptions Groups { get; init; } = new();
}
