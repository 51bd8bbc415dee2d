namespace EdgeBroker.Core.Streams;

/// <summary>Consumer-group timing. A member that neither fetches, commits nor heartbeats for <see cref="SessionTimeout"/> is removed and its partitions rebalanced.</summary>
public sealed record ConsumerGroupOptions
{
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public void Validate()
    {
        if (SessionTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"SessionTimeout must be positive (was {SessionTimeout}).");
        }
    }
}
