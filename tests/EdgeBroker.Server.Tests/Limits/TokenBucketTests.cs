namespace EdgeBroker.Server.Tests.Limits;

using System.IO.Pipelines;
using EdgeBroker.Core.Limits;
using EdgeBroker.Server.Limits;

[Trait("Category", "Unit")]
public sealed class TokenBucketTests
{
    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualTime : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }

    [Fact]
    public void ABurstIsAllowedThenTheRateApplies()
    {
        var time = new ManualTime();
        var bucket = new TokenBucket(ratePerSecond: 2, capacity: 3, time);

        Assert.True(bucket.TryTake());
        Assert.True(bucket.TryTake());
        Assert.True(bucket.TryTake());
        Assert.False(bucket.TryTake());

        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.True(bucket.TryTake());
        Assert.False(bucket.TryTake());
    }

    [Fact]
    public void RefillNeverExceedsTheCapacity()
    {
        var time = new ManualTime();
        var bucket = new TokenBucket(10, 5, time);
        Assert.True(bucket.TryTake(5));

        time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(5, bucket.Tokens, 6);
        Assert.True(bucket.IsFull);
        Assert.False(bucket.TryTake(6));
    }

    [Fact]
    public void ConsumeLeavesADebtAndDelaySaysHowLongToWaitItOut()
    {
        var time = new ManualTime();
        var bucket = new TokenBucket(ratePerSecond: 1000, capacity: 1000, time);

        bucket.Consume(3000);

        Assert.Equal(TimeSpan.FromSeconds(2), bucket.Delay());
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromSeconds(1), bucket.Delay());
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, bucket.Delay());
    }

    [Fact]
    public async Task AThrottledReaderChargesConsumedBytesAndPausesTheNextRead()
    {
        var time = new ManualTime();
        var bucket = new TokenBucket(ratePerSecond: 100, capacity: 100, time);
        var pipe = new Pipe();
        var waits = new List<TimeSpan>();
        var reader = new ThrottledPipeReader(pipe.Reader, bucket, time, waits.Add);

        await pipe.Writer.WriteAsync(new byte[300]);
        var first = await reader.ReadAsync();
        Assert.Equal(300, first.Buffer.Length);
        reader.AdvanceTo(first.Buffer.GetPosition(250), first.Buffer.End);

        // 250 consumed from a bucket of 100: a debt of 150 bytes at 100 B/s.
        Assert.Equal(TimeSpan.FromSeconds(1.5), bucket.Delay());
        Assert.False(reader.TryRead(out _));

        var pending = reader.ReadAsync().AsTask();
        Assert.Equal([TimeSpan.FromSeconds(1.5)], waits);
        Assert.False(pending.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(2));
        await pipe.Writer.WriteAsync(new byte[1]);
        var second = await pending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(51, second.Buffer.Length);
        reader.AdvanceTo(second.Buffer.End);
    }
}
