namespace EdgeBroker.Core.Tests.Queues;

using EdgeBroker.Core.Queues;
using FsCheck;
using FsCheck.Fluent;
using static EdgeBroker.Core.Tests.Queues.MemoryQueueHarness;

/// <summary>
/// Random operation sequences against a model: nothing published is lost or duplicated, the ready set stays
/// in publish order, prefetch is never exceeded, and a reopen brings back exactly the unsettled messages.
/// </summary>
[Trait("Category", "Unit")]
public sealed class LogQueueModelTests
{
    private enum Op
    {
        Publish = 0,
        AddConsumer = 1,
        Ack = 2,
        AckUpTo = 3,
        NackRequeue = 4,
        NackDrop = 5,
        RemoveConsumer = 6,
        Reopen = 7,
        Fetch = 8,
    }

    [Theory]
    [InlineData(long.MaxValue)]
    [InlineData(40L)] // a tiny memory budget: most of the backlog is paged out and paged back in
    public void RandomOperationSequencesKeepTheQueueInvariants(long maxResidentBytes)
    {
        var gen = (from op in Gen.Elements(Enum.GetValues<Op>())
                   from arg in Gen.Choose(0, 7)
                   select (op, arg)).ArrayOf();
        var prop = Prop.ForAll(Arb.From(gen), ops =>
        {
            Run(ops, maxResidentBytes);
            return true;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), prop);
    }

    private static void WaitUntilQuiescent(LogQueue q)
    {
        var deadline = Environment.TickCount64 + 5000;
        while (!q.IsQuiescent)
        {
            Assert.True(Environment.TickCount64 < deadline, "queue did not settle");
            Thread.Yield();
        }
    }

    private static void Run((Op Op, int Arg)[] ops, long maxResidentBytes)
    {
        var options = new QueueOptions { DeliveryLimit = null, DeadLetterQueue = "" };
        var h = new MemoryQueueHarness { MaxResidentBytes = maxResidentBytes };
        var q = h.Declare("m", options);
        var live = new List<int>();          // published, not settled, in publish order
        var consumers = new List<(IQueueConsumer Consumer, RecordingTarget Target, int Prefetch, Dictionary<long, int> Outstanding, int Seen)>();
        var next = 0;

        void Collect()
        {
            for (var i = 0; i < consumers.Count; i++)
            {
                var c = consumers[i];
                var received = c.Target.Received;
                for (var k = c.Seen; k < received.Count; k++)
                {
                    var n = int.Parse(TextOf(received[k].Message));
                    Assert.True(c.Outstanding.TryAdd(received[k].DeliveryTag, n), "a delivery tag was reused");
                    Assert.DoesNotContain(n, consumers.SelectMany(o => o.Outstanding.Where(p => p.Key != received[k].DeliveryTag || !ReferenceEquals(o.Target, c.Target)).Select(p => p.Value)));
                }

                consumers[i] = c with { Seen = received.Count };
                Assert.True(c.Prefetch == 0 || c.Outstanding.Count <= c.Prefetch, "prefetch exceeded");
            }
        }

        foreach (var (op, arg) in ops)
        {
            var c = consumers.Count > 0 ? consumers[arg % consumers.Count] : default;
            switch (op)
            {
                case Op.Publish:
                    live.Add(next);
                    PublishAsync(q, $"{next++}").GetAwaiter().GetResult();
                    break;
                case Op.AddConsumer:
                    var target = new RecordingTarget();
                    var prefetch = arg % 3;
                    consumers.Add((q.AddConsumer(target, new ConsumerOptions { Prefetch = prefetch }), target, prefetch, [], 0));
                    break;
                case Op.Ack or Op.NackRequeue or Op.NackDrop when c.Consumer is not null && c.Outstanding.Count > 0:
                    var (tag, n) = c.Outstanding.ElementAt(arg % c.Outstanding.Count);
                    c.Outstanding.Remove(tag);
                    if (op == Op.Ack)
                    {
                        c.Consumer.AckAsync(tag).AsTask().GetAwaiter().GetResult();
                        live.Remove(n);
                    }
                    else
                    {
                        c.Consumer.NackAsync(tag, requeue: op == Op.NackRequeue).AsTask().GetAwaiter().GetResult();
                        if (op == Op.NackDrop)
                        {
                            live.Remove(n);
                        }
                    }

                    break;
                case Op.AckUpTo when c.Consumer is not null && c.Outstanding.Count > 0:
                    var upTo = c.Outstanding.Keys.Order().ElementAt(arg % c.Outstanding.Count);
                    foreach (var t in c.Outstanding.Keys.Where(t => t <= upTo).ToList())
                    {
                        live.Remove(c.Outstanding[t]);
                        c.Outstanding.Remove(t);
                    }

                    c.Consumer.AckUpToAsync(upTo).AsTask().GetAwaiter().GetResult();
                    break;
                case Op.RemoveConsumer when c.Consumer is not null:
                    consumers.Remove(c);
                    c.Consumer.Dispose();
                    break;
                case Op.Reopen:
                    consumers.Clear(); // the old process is gone with its consumers
                    q = h.Reopen("m", options);
                    Assert.Equal(live, q.Peek(int.MaxValue).Select(m => int.Parse(TextOf(m))));
                    break;
                case Op.Fetch:
                    foreach (var d in q.FetchAsync(arg % 3, CancellationToken.None).AsTask().GetAwaiter().GetResult())
                    {
                        live.Remove(int.Parse(TextOf(d.Message)));
                    }

                    break;
            }

            WaitUntilQuiescent(q);
            Collect();
            var outstanding = consumers.SelectMany(x => x.Outstanding.Values).ToHashSet();
            var ready = q.Peek(int.MaxValue).Select(m => int.Parse(TextOf(m))).ToList();
            Assert.Equal(ready.Order(), ready);                                   // FIFO apart from nothing: ids ascend
            Assert.Equal(live.Order(), ready.Concat(outstanding).Order());       // no loss, no duplicate
            Assert.Equal((ready.Count, outstanding.Count), ((int)q.Stats.Ready, (int)q.Stats.Unacked));
        }

        // Liveness: a consumer without a prefetch limit drains every ready message, paged out or not.
        var readyAtEnd = q.Peek(int.MaxValue).Select(m => int.Parse(TextOf(m))).ToList();
        var drain = new RecordingTarget();
        q.AddConsumer(drain, new ConsumerOptions { Prefetch = 0 });
        WaitUntilQuiescent(q);
        Assert.Equal(0, q.Stats.Ready);
        Assert.Equal(readyAtEnd, drain.Texts.Select(int.Parse));
    }
}
