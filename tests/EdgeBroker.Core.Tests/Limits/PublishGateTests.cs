namespace EdgeBroker.Core.Tests.Limits;

using EdgeBroker.Core.Broker;
using EdgeBroker.Core.Limits;

[Trait("Category", "Unit")]
public sealed class PublishGateTests
{
    private readonly ResourceAlarms _alarms = new();
    private readonly SteppedTime _time = new();

    [Fact]
    public void WithoutARateOrAnAlarmEveryPublishPasses()
    {
        var gate = new PublishLimits(_alarms, 0, 0, _time).CreateGate();

        Assert.All(Enumerable.Range(0, 10_000), _ => Assert.True(gate.TryPass()));
    }

    [Fact]
    public async Task TheMemoryAlarmHoldsPublishersUntilItClears()
    {
        var limits = new PublishLimits(_alarms, 0, 0, _time);
        var gate = limits.CreateGate();
        _alarms.RaiseMemoryAlarm("memory alarm: 900 MiB in use, above the 800 MiB high watermark");

        Assert.False(gate.TryPass());
        var held = gate.WaitAsync(CancellationToken.None);
        await Task.Delay(50);
        Assert.False(held.IsCompleted);

        _alarms.ClearMemoryAlarm();
        await held.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(gate.TryPass());
        Assert.Equal(1, limits.MemoryHeld);
    }

    [Fact]
    public async Task RaisingTheAlarmAgainAfterAClearHoldsNewPublishesAgain()
    {
        var gate = new PublishLimits(_alarms, 0, 0, _time).CreateGate();
        _alarms.RaiseMemoryAlarm("first");
        _alarms.ClearMemoryAlarm();
        Assert.True(_alarms.WhenMemoryAlarmClearedAsync().IsCompleted);

        _alarms.RaiseMemoryAlarm("second");
        _alarms.RaiseMemoryAlarm("second, still on");
        var held = gate.WaitAsync(CancellationToken.None);
        await Task.Delay(50);

        Assert.False(held.IsCompleted);
        Assert.Equal("second, still on", _alarms.MemoryReason);
        _alarms.ClearMemoryAlarm();
        await held.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task TheRateLetsTheBurstThroughThenHoldsEachPublishForItsShareOfASecond()
    {
        var limits = new PublishLimits(_alarms, messagesPerSecond: 10, burstMessages: 2, _time);
        var gate = limits.CreateGate();

        Assert.True(gate.TryPass());
        Assert.True(gate.TryPass());
        Assert.False(gate.TryPass());

        var held = gate.WaitAsync(CancellationToken.None);
        Assert.False(held.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(50));
        Assert.False(held.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(50));
        await held.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, limits.RateHeld);
        Assert.Equal(TimeSpan.FromMilliseconds(100), limits.RateHeldTime);
        Assert.False(gate.TryPass()); // the waited-for token was spent by the held publish
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(gate.TryPass());
    }

    [Fact]
    public void EachConnectionHasItsOwnRate()
    {
        var limits = new PublishLimits(_alarms, messagesPerSecond: 1, burstMessages: 1, _time);
        var first = limits.CreateGate();
        var second = limits.CreateGate();

        Assert.True(first.TryPass());
        Assert.False(first.TryPass());
        Assert.True(second.TryPass());
    }

    [Fact]
    public async Task AHeldPublishEndsWhenItsConnectionCloses()
    {
        var gate = new PublishLimits(_alarms, 0, 0, _time).CreateGate();
        _alarms.RaiseMemoryAlarm("memory alarm");
        using var closing = new CancellationTokenSource();

        var held = gate.WaitAsync(closing.Token);
        await closing.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => held);
    }

    [Fact]
    public void TheBurstDefaultsToOneSecondOfTheRate()
    {
        Assert.Equal(250, new PublishLimits(_alarms, 250, 0, _time).BurstMessages);
        Assert.Equal(1, new PublishLimits(_alarms, 0.5, 0, _time).BurstMessages);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PublishLimits(_alarms, -1, 0, _time));
    }
}
