namespace EdgeBroker.Bench.Tests;

using System.Diagnostics;
using EdgeBroker.Bench.Stats;

/// <summary>The coordinated-omission correction: latency is measured from when a message was due, not sent.</summary>
[Trait("Category", "Unit")]
public sealed class RateScheduleTests
{
    private static readonly long Second = Stopwatch.Frequency;

    [Fact]
    public void FixedRateSpacesIntendedTimesEvenly()
    {
        var schedule = new RateSchedule(1_000 * Second, messagesPerSecond: 1000);
        Assert.True(schedule.IsFixedRate);
        Assert.Equal(1_000 * Second, schedule.IntendedTicks(0, 0));
        Assert.Equal((1_000 * Second) + (Second / 1000 * 5), schedule.IntendedTicks(5, 0));
        Assert.Equal((1_000 * Second) + Second, schedule.IntendedTicks(1000, 0));
    }

    [Fact]
    public void DueCountsMessagesWhoseTimeHasCome()
    {
        var start = 1_000 * Second;
        var schedule = new RateSchedule(start, messagesPerSecond: 100);
        Assert.Equal(0, schedule.DueBy(start - 1));
        Assert.Equal(1, schedule.DueBy(start));
        Assert.Equal(11, schedule.DueBy(start + (Second / 10)));
    }

    [Fact]
    public void AStalledPublisherChargesTheStallToEveryMessageThatWasDue()
    {
        // 1000 msgs/s; the broker stalls the publisher for 100 ms at the start; each message then takes 50 µs.
        var start = 1_000 * Second;
        var schedule = new RateSchedule(start, messagesPerSecond: 1000);
        var stallEnd = start + (Second / 10);
        var corrected = new LatencyHistogram();
        var naive = new LatencyHistogram();
        for (var k = 0; k < 1000; k++)
        {
            var intended = schedule.IntendedTicks(k, 0);
            var actualSend = Math.Max(intended, stallEnd);
            var received = actualSend + (Second / 20_000);
            corrected.Record(RateSchedule.LatencyMicros(intended, received));
            naive.Record(RateSchedule.LatencyMicros(actualSend, received));
        }

        // Measured from the actual send the stall is invisible; from the intended time ~10 % of messages waited.
        Assert.Equal(50, naive.Percentile(99));
        Assert.InRange(corrected.Percentile(99), 85_000, 101_000);
        Assert.InRange(corrected.Max, 100_000, 101_000);
        Assert.Equal(50, corrected.Percentile(50));
    }

    [Fact]
    public void UnlimitedRateMeasuresFromTheActualSend()
    {
        var schedule = new RateSchedule(0, messagesPerSecond: 0);
        Assert.False(schedule.IsFixedRate);
        Assert.Equal(12345, schedule.IntendedTicks(99, 12345));
        Assert.Equal(0, schedule.DueBy(long.MaxValue));
    }

    [Fact]
    public void LatencyIsInMicroseconds() =>
        Assert.Equal(1500, RateSchedule.LatencyMicros(0, Second * 15 / 10_000));
}
