namespace EdgeBroker.Core.Limits;

/// <summary>
/// A token bucket: <see cref="RatePerSecond"/> tokens are added per second up to <see cref="Capacity"/> (the burst).
/// <see cref="TryTake"/> refuses when too few tokens are left (connection rate); <see cref="Consume"/> always takes and
/// may leave a debt that <see cref="Delay"/> says how long to wait out (read throttling: the bytes already arrived,
/// the next read waits). Time comes from a <see cref="TimeProvider"/> so tests control it.
/// Thread-safety: every member takes one short lock; safe for concurrent callers.
/// </summary>
public sealed class TokenBucket
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private double _tokens;
    private long _lastRefill;

    public TokenBucket(double ratePerSecond, double capacity, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentNullException.ThrowIfNull(time);
        RatePerSecond = ratePerSecond;
        Capacity = capacity;
        _time = time;
        _tokens = capacity;
        _lastRefill = time.GetTimestamp();
    }

    public double RatePerSecond { get; }

    public double Capacity { get; }

    /// <summary>Tokens available now (negative while in debt).</summary>
    public double Tokens
    {
        get
        {
            lock (_gate)
            {
                Refill();
                return _tokens;
            }
        }
    }

    /// <summary>True when the bucket is full again: an idle entry that can be forgotten.</summary>
    public bool IsFull => Tokens >= Capacity;

    /// <summary>Takes <paramref name="count"/> tokens if that many are there; otherwise takes nothing.</summary>
    public bool TryTake(double count = 1)
    {
        lock (_gate)
        {
            Refill();
            if (_tokens < count)
            {
                return false;
            }

            _tokens -= count;
            return true;
        }
    }

    /// <summary>Takes <paramref name="count"/> tokens even if that leaves a debt.</summary>
    public void Consume(double count)
    {
        lock (_gate)
        {
            Refill();
            _tokens -= count;
        }
    }

    /// <summary>How long until the bucket is out of debt (zero when it is not).</summary>
    public TimeSpan Delay()
    {
        lock (_gate)
        {
            Refill();
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / RatePerSecond);
        }
    }

    private void Refill()
    {
        var now = _time.GetTimestamp();
        var elapsed = _time.GetElapsedTime(_lastRefill, now).TotalSeconds;
        _lastRefill = now;
        _tokens = Math.Min(Capacity, _tokens + (elapsed * RatePerSecond));
    }
}
