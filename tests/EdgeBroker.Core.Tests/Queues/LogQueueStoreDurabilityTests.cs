namespace EdgeBroker.Core.Tests.Queues;

using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Queues;
using EdgeBroker.Core.Routing;
using EdgeBroker.Core.Tests.Persistence;
using EdgeBroker.Storage;
using static EdgeBroker.Core.Tests.Queues.MemoryQueueHarness;

/// <summary>The disk-backed store under restarts, crashes, fsync failures and concurrency (R1, R5, R11).</summary>
[Trait("Category", "Integration")]
public sealed class LogQueueStoreDurabilityTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    // fsync=always: an accepted message is on disk before AcceptAsync completes (R1).
    private static LogOptions Options => new() { Fsync = FsyncPolicy.Always, SegmentBytes = 4096, MaxRecordBytes = 2048 };

    public void Dispose() => _dir.Dispose();

    private LogQueueStore Open(TimeProvider? time = null) => LogQueueStore.Open(_dir.Path, Options, time, maintenanceInterval: TimeSpan.Zero);

    [Fact]
    public async Task MessagesSurviveRepeatedRestartsByteExact()
    {
        var original = new Message
        {
            Topic = "sensors/1",
            Payload = new byte[] { 0, 1, 2, 255 },
            ContentType = "application/octet-stream",
            Headers = [new("h", "v")],
            Origin = new MessageOrigin(ProtocolKind.Stomp, "svc"),
            Persistent = true,
        };
        await using (var store = Open())
        {
            await store.Declare("q", new QueueOptions()).AcceptAsync(original, CancellationToken.None);
        }

        for (var i = 0; i < 3; i++)
        {
            await using var store = Open();
            Tests.Messages.MessageSerializerTests.AssertSame(original, store.Get("q")!.Peek(1).Single());
        }
    }

    [Fact]
    [Trait("Category", "Crash")]
    public async Task AcceptedMessagesSurviveAnUncleanStop()
    {
        // Like kill -9: the files are copied as they are while the store still runs (no clean-shutdown marker,
        // page cache included), and the copy is opened; the running store keeps its directory locked.
        var abandoned = Open();
        var q = abandoned.Declare("orders", new QueueOptions());
        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => q.AcceptAsync(Text($"{i}"), CancellationToken.None).AsTask()));
        var target = new RecordingTarget();
        var consumer = q.AddConsumer(target, new ConsumerOptions { Prefetch = 10 });
        var acked = target.Texts.ToHashSet();
        await consumer.AckUpToAsync(target.Received[9].DeliveryTag); // the freed credit delivers 10 more, left unacked

        var snapshot = _dir.Sub("after-kill");
        CopyDirectory(_dir.Path, snapshot);
        await using var reopened = LogQueueStore.Open(snapshot, Options, maintenanceInterval: TimeSpan.Zero);

        var texts = reopened.Get("orders")!.Peek(100).Select(TextOf).ToHashSet();
        Assert.Equal(10, acked.Count);
        Assert.Equal(40, texts.Count);
        Assert.Empty(texts.Intersect(acked));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"{i}").ToHashSet(), texts.Union(acked).ToHashSet());
        await abandoned.DisposeAsync();
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from).Where(f => Path.GetFileName(f) != ".lock"))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var dir in Directory.GetDirectories(from).Where(d => !d.StartsWith(to, StringComparison.Ordinal)))
        {
            CopyDirectory(dir, Path.Combine(to, Path.GetFileName(dir)));
        }
    }

    [Fact]
    [Trait("Category", "Crash")]
    public async Task FsyncFailureAnswersThePublishAsFailedNeverAccepted()
    {
        var io = new FailingFileIO();
        var options = Options with { FileIO = io };
        await using (var store = LogQueueStore.Open(_dir.Path, options, maintenanceInterval: TimeSpan.Zero))
        {
            var q = store.Declare("orders", new QueueOptions());
            Assert.Equal(TargetOutcome.Accepted, (await q.AcceptAsync(Text("before"), CancellationToken.None)).Outcome);
            Assert.False(q.Stats.IsReadOnly);

            io.FailFsync = true;
            var failed = await q.AcceptAsync(Text("during"), CancellationToken.None);
            var after = await q.AcceptAsync(Text("after"), CancellationToken.None);

            // R11: the log is read-only until reopened; nothing is acknowledged, nothing becomes deliverable.
            Assert.Equal(TargetOutcome.Failed, failed.Outcome);
            Assert.Equal(TargetOutcome.Failed, after.Outcome);
            Assert.Equal(["before"], q.Peek(10).Select(TextOf));
            Assert.True(q.Stats.IsReadOnly, "the host's /healthz reads this to answer 503 degraded");
            io.FailFsync = false;
        }

        await using var reopened = LogQueueStore.Open(_dir.Path, options, maintenanceInterval: TimeSpan.Zero);
        var q2 = reopened.Get("orders")!;
        Assert.Equal(TargetOutcome.Accepted, (await q2.AcceptAsync(Text("recovered"), CancellationToken.None)).Outcome);
        Assert.Equal("before", q2.Peek(10).Select(TextOf).First());
        Assert.Equal("recovered", q2.Peek(10).Select(TextOf).Last());
    }

    [Fact]
    [Trait("Category", "Crash")]
    public async Task AcceptCompletesOnlyOnceTheMessageIsFsyncedWhileAcksMayLag()
    {
        var io = new FailingFileIO();
        await using var store = LogQueueStore.Open(_dir.Path, Options with { FileIO = io }, maintenanceInterval: TimeSpan.Zero);
        var q = store.Declare("orders", new QueueOptions());
        var messagesDir = Path.Combine(_dir.Sub("orders"), "messages");

        for (var i = 0; i < 20; i++)
        {
            await q.AcceptAsync(Text($"{i}"), CancellationToken.None);

            // R1: nothing of an acknowledged append may still be only in the page cache.
            Assert.DoesNotContain(io.UnsyncedFilesUnder(messagesDir), f => f.EndsWith(".log", StringComparison.Ordinal));
        }

        var fetched = await q.FetchAsync(20, CancellationToken.None);
        Assert.Equal(20, fetched.Count);
    }

    [Fact]
    public async Task ConcurrentPublishAckNackAndMaintenanceLoseNothing()
    {
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        await using (var store = LogQueueStore.Open(_dir.Path, Options, maintenanceInterval: TimeSpan.FromMilliseconds(5), maxResidentBytesPerQueue: 2000))
        {
            var q = store.Declare("orders", new QueueOptions { DeliveryLimit = null });
            for (var c = 0; c < 3; c++)
            {
                IQueueConsumer? self = null;
                var target = new RecordingTarget();
                var random = new Random(c);
                target.OnDeliver = d =>
                {
                    var requeue = random.Next(10) == 0;
                    _ = Task.Run(async () =>
                    {
                        while (Volatile.Read(ref self) is null)
                        {
                            await Task.Yield();
                        }

                        if (requeue)
                        {
                            await self!.NackAsync(d.DeliveryTag, requeue: true);
                        }
                        else
                        {
                            seen.AddOrUpdate(TextOf(d.Message), 1, (_, n) => n + 1);
                            await self!.AckAsync(d.DeliveryTag);
                        }
                    });
                };
                Volatile.Write(ref self, q.AddConsumer(target, new ConsumerOptions { Prefetch = 8 }));
            }

            await Task.WhenAll(Enumerable.Range(0, 4).Select(p => Task.Run(async () =>
            {
                for (var i = 0; i < 150; i++)
                {
                    Assert.Equal(TargetOutcome.Accepted, (await q.AcceptAsync(Text($"{p}-{i}-{new string('p', 30)}"), CancellationToken.None)).Outcome);
                }
            })));

            await Eventually.TrueAsync(() => seen.Count == 600 && q.Stats.Ready == 0 && q.Stats.Unacked == 0, "everything acked", 20_000);
        }

        await using var reopened = Open();
        Assert.Equal(0, reopened.Get("orders")!.Stats.Ready);
        Assert.All(seen.Values, n => Assert.Equal(1, n));
    }
}
