namespace EdgeBroker.Core.Tests.Streams;

using System.Threading.Channels;
using EdgeBroker.Core.Streams;

public sealed class StreamPushConsumerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static (StreamPushConsumer Consumer, ChannelReader<(StreamRecord Record, long Sequence)> Deliveries) Open(StreamLog stream, ConsumerGroup? group, int prefetch, StreamPosition? start = null)
    {
        var channel = Channel.CreateUnbounded<(StreamRecord, long)>();
        var consumer = new StreamPushConsumer(stream, group, start ?? StreamPosition.First, GroupDeliveryMode.AtLeastOnce, prefetch, (record, sequence) => channel.Writer.TryWrite((record, sequence)));
        consumer.Start();
        return (consumer, channel.Reader);
    }

    private static async Task AppendAsync(StreamLog stream, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await stream.AppendAsync(StreamHarness.Message("t", "r" + i), partition: 0);
        }
    }

    [Fact]
    public async Task PrefetchBoundsUnsettledDeliveriesAndSettlingReleasesMore()
    {
        await using var harness = new StreamHarness();
        var stream = await harness.DeclareAsync("s");
        await AppendAsync(stream, 5);
        var (consumer, deliveries) = Open(stream, group: null, prefetch: 2);
        using var owned = consumer;

        var first = await deliveries.ReadAsync().AsTask().WaitAsync(Wait);
        var second = await deliveries.ReadAsync().AsTask().WaitAsync(Wait);
        Assert.Equal([0L, 1L], [first.Record.Offset, second.Record.Offset]);
        Assert.False(deliveries.TryRead(out _)); // window full: nothing more until a settle

        await consumer.SettleAsync(first.Sequence, cumulative: false);
        var third = await deliveries.ReadAsync().AsTask().WaitAsync(Wait);
        Assert.Equal(2, third.Record.Offset);
    }

    [Fact]
    public async Task OutOfOrderAcksCommitOnlyTheContiguousPrefixDurably()
    {
        await using var harness = new StreamHarness();
        var stream = await harness.DeclareAsync("s");
        await AppendAsync(stream, 3);
        var group = harness.Store.Group("s", "g");
        var (consumer, deliveries) = Open(stream, group, prefetch: 10);
        using var owned = consumer;
        var d = new (StreamRecord Record, long Sequence)[3];
        for (var i = 0; i < 3; i++)
        {
            d[i] = await deliveries.ReadAsync().AsTask().WaitAsync(Wait);
        }

        await consumer.SettleAsync(d[1].Sequence, cumulative: false);
        Assert.Null(group.Committed(0)); // offset 0 is not acked: nothing may be committed past it

        await consumer.SettleAsync(d[0].Sequence, cumulative: false);
        Assert.Equal(2, group.Committed(0));

        await consumer.SettleAsync(d[2].Sequence, cumulative: true);
        Assert.Equal(3, group.Committed(0));
    }

    [Fact]
    public async Task ALeavingMembersPartitionResumesAtTheCommitForTheNextMember()
    {
        await using var harness = new StreamHarness();
        var stream = await harness.DeclareAsync("s");
        await AppendAsync(stream, 4);
        var group = harness.Store.Group("s", "g");
        var (first, firstDeliveries) = Open(stream, group, prefetch: 10);
        var acked = await firstDeliveries.ReadAsync().AsTask().WaitAsync(Wait);
        await first.SettleAsync(acked.Sequence, cumulative: false);
        Assert.Equal(1, group.Committed(0));
        first.Close();

        var (second, secondDeliveries) = Open(stream, group, prefetch: 10, start: StreamPosition.Next);
        using var owned = second;
        var resumed = await secondDeliveries.ReadAsync().AsTask().WaitAsync(Wait);
        Assert.Equal(1, resumed.Record.Offset); // the commit wins over the member's own start position
    }
}
