namespace EdgeBroker.Core.Tests.Persistence;

/// <summary>A clock tests move by hand (expiry, TTL). Timers still use the real clock.</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private long _nowMs = 1_700_000_000_000;

    public long NowMs => Interlocked.Read(ref _nowMs);

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(NowMs);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _nowMs, (long)by.TotalMilliseconds);
}
