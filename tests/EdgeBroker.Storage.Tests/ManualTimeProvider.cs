namespace EdgeBroker.Storage.Tests;

/// <summary>A wall clock the test sets by hand (F25 clock jumps).</summary>
internal sealed class ManualTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
