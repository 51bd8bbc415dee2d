namespace EdgeBroker.Core.Tests.Streams;

using EdgeBroker.Core.Streams;
using EdgeBroker.Storage;
using FsCheck;
using FsCheck.Fluent;

[Trait("Category", "Unit")]
public sealed class ConsumerGroupPropertyTests
{
    /// <summary>
    /// Any sequence of joins, leaves and missed heartbeats leaves every partition owned by exactly one live member,
    /// with partition counts per member differing by at most one, and the generation bumped by every change.
    /// </summary>
    [Fact]
    public async Task EveryPartitionHasExactlyOneLiveOwnerAfterAnyMembershipChange()
    {
        await using var harness = new StreamHarness(FsyncPolicy.Never, sessionTimeout: TimeSpan.FromSeconds(10));
        var stream = await harness.DeclareAsync("prop", partitions: 7);
        var run = 0;

        Prop.ForAll(Gen.ListOf(Gen.Choose(0, 11)).ToArbitrary(), operations =>
        {
            var group = harness.Store.Group("prop", "g" + Interlocked.Increment(ref run));
            var live = new List<string>();
            foreach (var op in operations)
            {
                var id = "m" + (op % 4);
                var generation = group.Generation;
                if (op < 4)
                {
                    group.Join(id, GroupDeliveryMode.AtLeastOnce, StreamPosition.First);
                    if (!live.Contains(id))
                    {
                        live.Add(id);
                        Assert.Equal(generation + 1, group.Generation);
                    }
                }
                else if (op < 8)
                {
                    Assert.Equal(live.Remove(id), group.Leave(id));
                }
                else if (op < 10)
                {
                    foreach (var other in live.Where(m => m != id))
                    {
                        group.Heartbeat(other);
                    }

                    harness.Clock.Advance(TimeSpan.FromSeconds(6));
                    foreach (var other in live.Where(m => m != id))
                    {
                        group.Heartbeat(other);
                    }

                    harness.Clock.Advance(TimeSpan.FromSeconds(6));
                    foreach (var other in live.Where(m => m != id))
                    {
                        group.Heartbeat(other);
                    }

                    group.Sweep();
                    live.RemoveAll(m => m == id);
                }
                else
                {
                    group.Sweep();
                }

                var info = group.Info;
                Assert.Equal(live.Order(), info.Members.Select(m => m.MemberId).Order());
                if (live.Count == 0)
                {
                    Assert.All(info.Partitions, p => Assert.Null(p.Owner));
                    continue;
                }

                var owned = info.Members.SelectMany(m => m.Partitions).Order().ToList();
                Assert.Equal(Enumerable.Range(0, stream.PartitionCount), owned);
                Assert.All(info.Partitions, p => Assert.Contains(p.Owner, live));
                var counts = info.Members.Select(m => m.Partitions.Count).ToList();
                Assert.True(counts.Max() - counts.Min() <= 1);
            }
        }).QuickCheckThrowOnFailure();
    }
}
