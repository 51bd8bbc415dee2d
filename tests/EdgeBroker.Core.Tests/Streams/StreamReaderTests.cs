namespace EdgeBroker.Core.Tests.Streams;

using EdgeBroker.Core.Streams;
using EdgeBroker.Storage;

[Trait("Category", "Unit")]
public sealed class StreamReaderTests
{
    private static async Task<StreamLog> FillAsync(StreamHarness harness, int count)
    {
        var stream = await harness.DeclareAsync("s");
        for (var i = 0; i < count; i++)
        {
            await stream.AppendAsync(StreamHarness.Message("t/" + i, "m" + i, timestampMs: 1_000 + (i * 10)));
        }

        return stream;
    }

    [Theory]
    [InlineData("first", 0, "m0")]
    [InlineData("last", 4, "m4")]
    [InlineData("offset:2", 2, "m2")]
    [InlineData("3", 3, "m3")]
    [InlineData("timestamp:1025", 3, "m3")]
    [InlineData("timestamp:0", 0, "m0")]
    public async Task ReadsFromEveryKindOfStartPosition(string position, long expectedOffset, string expectedPayload)
    {
        await using var harness = new StreamHarness(FsyncPolicy.Never);
        var stream = await FillAsync(harness, 5);
        Assert.True(StreamPosition.TryParse(position, out var parsed));

        var records = await stream.OpenReader(0, parsed).ReadAsync(100, TimeSpan.Zero);

        Assert.Equal(expectedOffset, records[0].Offset);
        Assert.Equal(expectedPayload, StreamHarness.Text(records[0]));
        Assert.Equal(Enumerable.Range((int)expectedOffset, 5 - (int)expectedOffset).Select(i => (long)i), records.Select(r => r.Offset));
        Assert.Equal(1_000 + (expectedOffset * 10), records[0].TimestampMs);
        Assert.Equal("t/" + expectedOffset, records[0].Message.Topic);
    }

    [Fact]
    public async Task NextAndTimestampsPastTheEndWaitForNewRecords()
    {
        await using var harness = new StreamHarness(FsyncPolicy.Never);
        var stream = await FillAsync(harness, 3);
        Assert.Empty(await stream.OpenReader(0, StreamPosition.Next).ReadAsync(10, TimeSpan.Zero));
        Assert.Equal(3, stream.Resolve(0, StreamPosition.AtTimestamp(999_999)));
        Assert.Equal(3, stream.Resolve(0, StreamPosition.AtOffset(3)));
        Assert.Throws<StreamOffsetException>(() => stream.Resolve(0, StreamPosition.AtOffset(4)));
        Assert.Throws<StreamOffsetException>(() => stream.Resolve(1, StreamPosition.First));
        Assert.False(StreamPosition.TryParse("offset:-1", out _));
        Assert.False(StreamPosition.TryParse("sometime", out _));
    }

    [Fact]
    public async Task LastOnAnEmptyPartitionIsWhereTheFirstRecordWillGo()
    {
        await using var harness = new StreamHarness(FsyncPolicy.Never);
        var stream = await harness.DeclareAsync("empty");
        Assert.Equal(0, stream.Resolve(0, StreamPosition.Last));
        Assert.Equal(0, stream.Resolve(0, StreamPosition.First));
    }

    [Fact]
    public async Task ALongPollReturnsAsSoonAsARecordIsDurable()
    {
        await using var harness = new StreamHarness(FsyncPolicy.Always);
        var stream = await FillAsync(harness, 1);
        var reader = stream.OpenReader(0, StreamPosition.Next);

        var poll = reader.ReadAsync(10, TimeSpan.FromSeconds(30));
        Assert.False(poll.IsCompleted);
        await stream.AppendAsync(StreamHarness.Message("t", "late"));
        var records = await poll.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("late", StreamHarness.Text(Assert.Single(records)));
        Assert.Equal(2, reader.NextOffset);
    }

    [Fact]
    public async Task ALongPollTimesOutEmpty()
    {
        await using var harness = new StreamHarness(FsyncPolicy.Never);
        var stream = await FillAsync(harness, 1);
        var records = await stream.OpenReader(0, StreamPosition.Next).ReadAsync(10, TimeSpan.FromMilliseconds(50));
        Assert.Empty(records);
    }

    [Fact]
    public async Task FollowReplaysThenDeliversLiveRecordsInOrder()
    {
        await using var harness = new StreamHarness(FsyncPolicy.Always);
        var stream = await FillAsync(harness, 2);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var seen = new List<string>();
        var follow = Task.Run(async () =>
        {
            await foreach (var record in stream.OpenReader(0, StreamPosition.First).FollowAsync(cancellationToken: cts.Token))
            {
                seen.Add(StreamHarness.Text(record));
                if (seen.Count == 5)
                {
                    return;
                }
            }
        });

        for (var i = 2; i < 5; i++)
        {
            await stream.AppendAsync(StreamHarness.Message("t", "m" + i));
        }

        await follow.WaitAsync(cts.Token);
        Assert.Equal(["m0", "m1", "m2", "m3", "m4"], seen);
    }
}
