namespace EdgeBroker.Core.Tests.Streams;

using EdgeBroker.Core.Streams;
using EdgeBroker.Storage;

[Trait("Category", "Unit")]
public sealed class ConsumerGroupTests
{
    private static async Task<StreamLog> FillAsync(StreamHarness harness, int partitions, int perPartition)
    {
        var stream = await harness.DeclareAsync("events", partitions);
        for (var p = 0; p < partitions; p++)
        {
            for (var i = 0; i < perPartition; i++)
            {
                await stream.AppendAsync(StreamHarness.Message("t", $"p{p}-{i}"), partition: p);
            }
        }

        return stream;
    }

    private static void AssertExclusiveCover(ConsumerGroupInfo info, int partitions)
    {
        var owned = info.Members.SelectMany(m => m.Partitions).ToList();
        Assert.Equal(Enumerable.Range(0, partitions), owned.Order());
        Assert.All(info.Partitions, p => Assert.NotNull(p.Owner));
    }

    [Fact]
    public async Task PartitionsAreSpreadOverMembersAndRebalancedOnJoinAndLeave()
    {
        await using var harness = new StreamHarness(FsyncPolicy.Never);
        await FillAsync(harness, 6, 0);
        var group = harness.Store.Group("events", "workers");
        var rebalanced = new List<string>();

        var a = group.Join("a", GroupDeliveryMode.AtLeastOnce, StreamPosition.First, m => rebalanced.Add(m.MemberId));
        Assert.Equal([0, 1, 2, 3, 4, 5], a.Assignment);

        var b = group.Join("b", GroupDeliveryMode.AtLeastOnce, StreamPosition.First);
        var c = group.Join("c", GroupDeliveryMode.AtLeastOnce, StreamPosition.First);
        Assert.Equal(2, a.Assignment.Count);
        Assert.Equal(2, b.Assignment.Count);
        Assert.Equal(2, c.Assignment.Count);
        AssertExclusiveCover(group.Info, 6);
        Assert.Equal(["a", "a"], rebalanced);

        var generation = group.Generation;
        Assert.True(b.Leave());
        Assert.Equal(generation + 1, group.Generation);
        Assert.Equal(3, a.Assignment.Count);
        Assert.Equal(3, c.Assignment.Count);
        Assert.Empty(b.Assignment);
        AssertExclusiveCover(group.Info, 6);
        Assert.False(b.Leave());
    }

    [Fact]
    public async Task AMemberThatMissesItsHeartbeatLosesItsPartitionsToTheOthers()
    {
        await using var harness = new StreamHarness(FsyncPolicy.Never, sessionTimeout: TimeSpan.FromSeconds(10));
        await FillAsync(harness, 4, 3);
        var group = harness.Store.Group("events", "g");
        var alive = group.Join("alive", GroupDeliveryMode.AtLeastOnce, StreamPosition.First);
        var dying = group.Join("dying", GroupDeliveryMode.AtLeastOnce, StreamPosition.First);
        Assert.Equal(2, dying.Assignment.Count);

        harness.Clock.Advance(TimeSpan.FromSeconds(6));
        Assert.True(alive.Heartbeat());
        harness.Clock.Advance(TimeSpan.FromSeconds(6));
        harness.Store.RunMaintenance();

        Assert.Equal([0, 1, 2, 3], alive.Assignment);
        Assert.Empty(dying.Assignment);
        Assert.False(dying.Heartbeat());
        await Assert.ThrowsAsync<GroupMembershipException>(() => dying.FetchAsync(10, TimeSpan.Zero));
        var fetched = await alive.FetchAsync(100, TimeSpan.Zero);
        Assert.Equal(12, fetched.Records.Count);
    }

    [Fact]
    public async Task AtLeastOnceRedeliversUncommittedRecordsToTheNextOwnerAndSkipsNothing()
    {
        await using var harness = new StreamHarness(FsyncPolicy.Always);
        await FillAsync(harness, 1, 5);
        var group = harness.Store.Group("events", "g");
        var a = group.Join("a", GroupDeliveryMode.AtLeastOnce, StreamPosition.First);

        var first = await a.FetchAsync(3, TimeSpan.Zero);
        Assert.Equal([0L, 1L, 2L], first.Records.Select(r => r.Offset));
        await a.AckAsync(first.Records[0]);
        await a.AckAsync(first.Records[1]);
        a.Leave();

        var b = group.Join("b", GroupDeliveryMode.AtLeastOnce, StreamPosition.First);
        var second = await b.FetchAsync(10, TimeSpan.Zero);
        Assert.Equal([2L, 3L, 4L], second.Records.Select(r => r.Offset));
        await Assert.ThrowsAsync<GroupMembershipException>(async () => await a.CommitAsync(0, 5));
        await Assert.ThrowsAsync<StreamOffsetException>(async () => await b.CommitAsync(0, 6));
        await b.CommitAsync(0, 5);
        Assert.Equal(0, group.Info.Partitions[0].Lag);
    }

    [Fact]
    public async Task AtMostOnceCommitsOnDelivery()
    {
        await using var harness = new StreamHarness(FsyncPolicy.Always);
        await FillAsync(harness, 1, 4);
        var group = harness.Store.Group("events", "amo");
        var a = group.Join("a", GroupDeliveryMode.AtMostOnce, StreamPosition.First);

        Assert.Equal(2, (await a.FetchAsync(2, TimeSpan.Zero)).Records.Count);
        Assert.Equal(2, group.Committed(0));
        a.Leave();

        var b = group.Join("b", GroupDeliveryMode.AtMostOnce, StreamPosition.First);
        Assert.Equal([2L, 3L], (await b.FetchAsync(10, TimeSpan.Zero)).Records.Select(r => r.Offset));
        Assert.Equal(4, group.Committed(0));
    }

    [Fact]
    public async Task CommittedOffsetsAndLagSurviveAReopen()
    {
        await using var harness = new StreamHarness(FsyncPolicy.Always);
        await FillAsync(harness, 2, 5);
        var group = harness.Store.Group("events", "g");
        var member = group.Join(null, GroupDeliveryMode.AtLeastOnce, StreamPosition.First);
        await member.CommitAsync(0, 3);
        await member.CommitAsync(1, 5);

        await harness.ReopenAsync();

        var info = Assert.Single(harness.Store.Groups("events"));
        Assert.Equal("g", info.Group);
        Assert.Empty(info.Members);
        Assert.Equal([3L, 5L], info.Partitions.Select(p => p.Committed!.Value));
        Assert.Equal([2L, 0L], info.Partitions.Select(p => p.Lag));
        var resumed = harness.Store.Group("events", "g").Join("again", GroupDeliveryMode.AtLeastOnce, StreamPosition.First);
        var records = await resumed.FetchAsync(100, TimeSpan.Zero);
        Assert.Equal([3L, 4L], records.Records.Select(r => r.Offset));
    }

    [Fact]
    public async Task AGroupFetchLongPollsAcrossItsPartitions()
    {
        await using var harness = new StreamHarness(FsyncPolicy.Always);
        var stream = await FillAsync(harness, 3, 0);
        var member = harness.Store.Group("events", "g").Join("m", GroupDeliveryMode.AtLeastOnce, StreamPosition.Next);

        var poll = member.FetchAsync(10, TimeSpan.FromSeconds(30));
        Assert.False(poll.IsCompleted);
        await stream.AppendAsync(StreamHarness.Message("t", "x"), partition: 2);
        var result = await poll.WaitAsync(TimeSpan.FromSeconds(10));

        var record = Assert.Single(result.Records);
        Assert.Equal(2, record.Partition);
        Assert.Equal([0, 1, 2], result.Assignment);
    }

    [Fact]
    public async Task InvalidGroupNamesAndUnknownStreamsAreRefused()
    {
        await using var harness = new StreamHarness(FsyncPolicy.Never);
        await FillAsync(harness, 1, 0);
        Assert.Throws<ArgumentException>(() => harness.Store.Group("events", "a/b"));
        Assert.Throws<KeyNotFoundException>(() => harness.Store.Group("nope", "g"));
    }
}
