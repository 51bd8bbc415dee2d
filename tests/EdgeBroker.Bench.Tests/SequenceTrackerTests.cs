namespace EdgeBroker.Bench.Tests;

using EdgeBroker.Bench.Stats;

[Trait("Category", "Unit")]
public sealed class SequenceTrackerTests
{
    [Fact]
    public void InOrderArrivalsHaveNoLossNoDuplicates()
    {
        var tracker = new SequenceTracker();
        for (var s = 0; s < 100; s++)
        {
            Assert.True(tracker.Record(s));
        }

        Assert.Equal(100, tracker.Unique);
        Assert.Equal(0, tracker.Lost(100));
        Assert.Equal(0, tracker.Duplicates);
    }

    [Fact]
    public void GapsAreLostUntilTheLateMessagesArrive()
    {
        var tracker = new SequenceTracker();
        tracker.Record(0);
        tracker.Record(3);
        Assert.Equal(2, tracker.Lost(4));
        Assert.True(tracker.Record(1)); // reordered, not a duplicate
        Assert.Equal(1, tracker.Lost(4));
        Assert.Equal(3, tracker.Unique);
        Assert.Equal(0, tracker.Duplicates);
    }

    [Fact]
    public void RepeatsAreDuplicates()
    {
        var tracker = new SequenceTracker();
        tracker.Record(0);
        tracker.Record(1);
        Assert.False(tracker.Record(1));
        Assert.False(tracker.Record(0));
        tracker.Record(2);
        Assert.Equal(2, tracker.Duplicates);
        Assert.Equal(3, tracker.Unique);
        Assert.Equal(0, tracker.Lost(3));
    }

    [Fact]
    public void MessagesNeverReceivedAtTheEndAreLost()
    {
        var tracker = new SequenceTracker();
        tracker.Record(0);
        tracker.Record(1);
        Assert.Equal(8, tracker.Lost(10));
    }

    [Fact]
    public void AFilledGapIsNotCountedTwice()
    {
        var tracker = new SequenceTracker();
        tracker.Record(0);
        tracker.Record(2);
        tracker.Record(1);
        Assert.False(tracker.Record(1));
        Assert.Equal(1, tracker.Duplicates);
        Assert.Equal(0, tracker.Lost(3));
    }

    [Fact]
    public void HugeGapsAreCountedWithoutTrackingEachNumber()
    {
        var tracker = new SequenceTracker();
        tracker.Record(0);
        tracker.Record(SequenceTracker.MaxTrackedGap + 10);
        Assert.Equal(SequenceTracker.MaxTrackedGap + 9, tracker.Lost(SequenceTracker.MaxTrackedGap + 11));
        Assert.Equal(2, tracker.Unique);
    }

    [Fact]
    public void CompetingConsumersSharingATrackerCountEachMessageOnce()
    {
        var tracker = new SequenceTracker();
        Parallel.For(0, 4, consumer =>
        {
            for (var s = consumer; s < 40_000; s += 4)
            {
                tracker.Record(s);
            }
        });
        Assert.Equal(40_000, tracker.Unique);
        Assert.Equal(0, tracker.Lost(40_000));
        Assert.Equal(0, tracker.Duplicates);
    }
}
