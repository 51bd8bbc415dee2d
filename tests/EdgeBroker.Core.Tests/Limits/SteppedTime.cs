namespace EdgeBroker.Core.Tests.Limits;

/// <summary>A clock the test moves by hand, with timers (so <c>Task.Delay(…, time)</c> waits for <see cref="Advance"/>).</summary>
internal sealed class SteppedTime : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<SteppedTimer> _timers = [];
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new SteppedTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock and fires every timer that fell due.</summary>
    public void Advance(TimeSpan by)
    {
        List<SteppedTimer> due;
        lock (_gate)
        {
            _ticks += by.Ticks;
            due = _timers.Where(t => t.DueAt <= _ticks).ToList();
            _timers.RemoveAll(due.Contains);
        }

        foreach (var timer in due)
        {
            timer.Fire();
        }
    }

    private void Schedule(SteppedTimer timer, long dueAt)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
            if (dueAt >= 0)
            {
                timer.DueAt = dueAt;
                _timers.Add(timer);
            }
        }
    }

    private sealed class SteppedTimer(SteppedTime owner, TimerCallback callback, object? state) : ITimer
    {
        public long DueAt { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            // Periodic timers are not needed by these tests; a one-shot timer is enough for Task.Delay.
            owner.Schedule(this, dueTime == Timeout.InfiniteTimeSpan ? -1 : owner.GetTimestamp() + dueTime.Ticks);
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => owner.Schedule(this, -1);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
