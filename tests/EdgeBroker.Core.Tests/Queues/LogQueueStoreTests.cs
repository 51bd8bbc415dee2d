namespace EdgeBroker.Core.Tests.Queues;

using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Queues;
using EdgeBroker.Core.Routing;
using EdgeBroker.Core.Tests.Persistence;
using EdgeBroker.Storage;
using static EdgeBroker.Core.Tests.Queues.MemoryQueueHarness;

/// <summary>The disk-backed store: restart behaviour, declarations, names, dead-letter queues, segment cleanup.</summary>
[Trait("Category", "Integration")]
public sealed class LogQueueStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    // fsync=always: an accepted message is on disk before AcceptAsync completes (R1).
    private static LogOptions Options => new() { Fsync = FsyncPolicy.Always, SegmentBytes = 4096, MaxRecordBytes = 2048 };

    public void Dispose() => _dir.Dispose();

    private LogQueueStore Open(TimeProvider? time = null) => LogQueueStore.Open(_dir.Path, Options, time, maintenanceInterval: TimeSpan.Zero);

    [Fact]
    public async Task RestartKeepsExactlyTheUnackedMessagesAndAckedOnesStayGone()
    {
        await using (var store = Open())
        {
            var q = store.Declare("orders", new QueueOptions());
            for (var i = 1; i <= 6; i++)
            {
                Assert.Equal(TargetOutcome.Accepted, (await q.AcceptAsync(Text($"{i}"), CancellationToken.None)).Outcome);
            }

            var target = new RecordingTarget();
            var consumer = q.AddConsumer(target, new ConsumerOptions { Prefetch = 4 });
            await consumer.AckAsync(target.Received[0].DeliveryTag);   // 1
            await consumer.AckUpToAsync(target.Received[2].DeliveryTag); // 2, 3; "4" stays unacked
        }

        await using (var store = Open())
        {
            var q = (LogQueue)store.Get("orders")!;
            Assert.Equal(["4", "5", "6"], q.Peek(10).Select(TextOf));
            var target = new RecordingTarget();
            q.AddConsumer(target, new ConsumerOptions { Prefetch = 0 });
            Assert.All(target.Received, d => Assert.True(d.Redelivered));
            Assert.Equal(3, q.RecoveredMessages);
        }
    }

    [Fact]
    public async Task DeclarationsSurviveRestartWithTheirOptions()
    {
        var options = new QueueOptions { MaxLength = 5, Overflow = QueueOverflow.DropHead, MessageTtl = TimeSpan.FromMinutes(3), DeliveryLimit = 4, DeadLetterQueue = "parking" };
        await using (var store = Open())
        {
            store.Declare("orders", options);
            store.Declare("empty", new QueueOptions { DeliveryLimit = null });
        }

        await using var reopened = Open();

        Assert.Equal(["empty", "orders"], reopened.All.Select(q => q.QueueName).Order());
        Assert.Equal(options, reopened.Get("orders")!.Options);
        Assert.Null(reopened.Get("empty")!.Options.DeliveryLimit);
        Assert.Equal(4, reopened.RecoveryReports.Count); // messages + acks log of each queue, for the host to log
    }

    [Fact]
    public async Task DeclareIsIdempotentAndKeepsTheFirstOptions()
    {
        await using var store = Open();
        var first = store.Declare("orders", new QueueOptions { MaxLength = 1 });

        var second = store.Declare("orders", new QueueOptions { MaxLength = 99 });

        Assert.Same(first, second);
        Assert.Equal(1, second.Options.MaxLength);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("..", "reserved")]
    [InlineData("a/b", "may contain only")]
    [InlineData("../etc", "may contain only")]
    [InlineData("a b", "may contain only")]
    [InlineData("ordérs", "may contain only")]
    [InlineData("a\0b", "U+0000")]
    public async Task RejectsUnsafeQueueNamesWithAReason(string name, string reason)
    {
        await using var store = Open();

        var ex = Assert.Throws<ArgumentException>(() => store.Declare(name, new QueueOptions()));

        Assert.Contains(reason, ex.Message);
    }

    [Fact]
    public async Task RejectsNamesLongerThan200Characters()
    {
        await using var store = Open();

        store.Declare(new string('a', 200), new QueueOptions());
        var ex = Assert.Throws<ArgumentException>(() => store.Declare(new string('a', 201), new QueueOptions()));

        Assert.Contains("at most 200", ex.Message);
    }

    [Theory]
    [InlineData(-1L, null, null, null, "MaxLength")]
    [InlineData(null, -5L, null, null, "MessageTtl")]
    [InlineData(null, null, 0, null, "DeliveryLimit")]
    [InlineData(null, null, null, "orders", "its own dead-letter queue")]
    [InlineData(null, null, null, "a/b", "DeadLetterQueue")]
    public async Task RejectsInvalidOptions(long? maxLength, long? ttlMs, int? limit, string? dlq, string reason)
    {
        await using var store = Open();
        var options = new QueueOptions
        {
            MaxLength = maxLength,
            MessageTtl = ttlMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
            DeliveryLimit = limit ?? 10,
            DeadLetterQueue = dlq,
        };

        var ex = Assert.Throws<ArgumentException>(() => store.Declare("orders", options));

        Assert.Contains(reason, ex.Message);
    }

    [Fact]
    public async Task DeleteRemovesTheQueueAndItsDataForGood()
    {
        await using (var store = Open())
        {
            var q = store.Declare("orders", new QueueOptions());
            await q.AcceptAsync(Text("1"), CancellationToken.None);
            var target = new RecordingTarget();
            var consumer = q.AddConsumer(target, new ConsumerOptions());

            Assert.True(await store.DeleteAsync("orders"));
            Assert.False(await store.DeleteAsync("orders"));
            Assert.Null(store.Get("orders"));
            Assert.False(Directory.Exists(_dir.Sub("orders")));
            await consumer.AckAsync(target.Received[0].DeliveryTag); // harmless after delete

            var again = store.Declare("orders", new QueueOptions());
            Assert.Equal(0, again.Stats.Ready);
        }

        await using var reopened = Open();
        Assert.Equal(0, reopened.Get("orders")!.Stats.Ready);
    }

    [Fact]
    public async Task LeftoverDirectoryWithoutDeclarationIsRemovedOnOpen()
    {
        Directory.CreateDirectory(Path.Combine(_dir.Sub("ghost"), "messages"));

        await using var store = Open();

        Assert.Null(store.Get("ghost"));
        Assert.False(Directory.Exists(_dir.Sub("ghost")));
        Assert.Contains(store.OpenNotes, n => n.Contains("ghost"));
    }

    [Fact]
    public async Task ForeignDirectoriesUnderTheRootAreLeftUntouched()
    {
        Directory.CreateDirectory(_dir.Sub("retained"));
        File.WriteAllText(Path.Combine(_dir.Sub("retained"), "00000000000000000000.log"), "not ours");

        await using var store = Open();

        Assert.True(File.Exists(Path.Combine(_dir.Sub("retained"), "00000000000000000000.log")));
        Assert.Null(store.Get("retained"));
        Assert.Throws<InvalidOperationException>(() => store.Declare("retained", new QueueOptions()));
        Assert.True(File.Exists(Path.Combine(_dir.Sub("retained"), "00000000000000000000.log")));
    }

    [Fact]
    public async Task DeadLetterQueueIsDeclaredOnDemandAndSurvivesRestart()
    {
        await using (var store = Open())
        {
            var q = store.Declare("orders", new QueueOptions());
            await q.AcceptAsync(Text("bad"), CancellationToken.None);
            var target = new RecordingTarget();
            var consumer = q.AddConsumer(target, new ConsumerOptions());
            await consumer.NackAsync(target.Received[0].DeliveryTag, requeue: false);
            Assert.NotNull(store.Get("orders.dlq"));
        }

        await using var reopened = Open();
        Assert.Equal(0, reopened.Get("orders")!.Stats.Ready);
        var dead = Assert.Single(reopened.Get("orders.dlq")!.Peek(10));
        Assert.Contains(new MessageHeader("x-death-reason", "rejected"), dead.Headers);
        Assert.Equal("", reopened.Get("orders.dlq")!.Options.DeadLetterQueue);
    }

    [Fact]
    public async Task AutoDeleteQueueGoesWhenItsLastConsumerLeaves()
    {
        await using var store = Open();
        var q = store.Declare("temp-1", new QueueOptions { AutoDelete = true });
        var consumer = q.AddConsumer(new RecordingTarget(), new ConsumerOptions());

        consumer.Dispose();

        await Eventually.TrueAsync(() => store.Get("temp-1") is null && !Directory.Exists(_dir.Sub("temp-1")), "auto-delete queue removed");
    }

    [Fact]
    public async Task ExpiryIsCountedFromTheStoredEnqueueTimeAcrossRestart()
    {
        var time = new ManualTimeProvider();
        await using (var store = LogQueueStore.Open(_dir.Path, Options with { Time = time }, time, TimeSpan.Zero))
        {
            var q = store.Declare("orders", new QueueOptions { MessageTtl = TimeSpan.FromSeconds(30) });
            await q.AcceptAsync(Text("1"), CancellationToken.None);
        }

        time.Advance(TimeSpan.FromSeconds(31));
        await using var reopened = LogQueueStore.Open(_dir.Path, Options with { Time = time }, time, TimeSpan.Zero);
        reopened.RunMaintenance();

        await Eventually.TrueAsync(() => reopened.Get("orders.dlq")?.Stats.Ready == 1, "expired after restart");
        Assert.Equal(0, reopened.Get("orders")!.Stats.Ready);
    }

    [Fact]
    public async Task MaintenanceFreesSegmentsOnceTheirMessagesAreSettled()
    {
        await using var store = Open();
        var q = (LogQueue)store.Declare("orders", new QueueOptions());
        for (var i = 0; i < 200; i++)
        {
            await q.AcceptAsync(Text($"message-{i}-{new string('z', 50)}"), CancellationToken.None);
        }

        var before = q.Stats.SizeBytes;
        var fetched = await q.FetchAsync(200, CancellationToken.None);
        Assert.Equal(200, fetched.Count);

        store.RunMaintenance();

        Assert.True(q.Stats.SizeBytes < before / 2, $"{q.Stats.SizeBytes} < {before} / 2");
        await q.AcceptAsync(Text("after"), CancellationToken.None);
        Assert.Equal(["after"], q.Peek(10).Select(TextOf));
    }

    [Fact]
    public async Task SettledMessagesStayGoneAfterCleanupAndRestart()
    {
        await using (var store = Open())
        {
            var q = (LogQueue)store.Declare("orders", new QueueOptions());
            for (var i = 0; i < 300; i++)
            {
                await q.AcceptAsync(Text($"m{i}-{new string('z', 40)}"), CancellationToken.None);
            }

            await q.FetchAsync(290, CancellationToken.None);
            store.RunMaintenance();
        }

        await using var reopened = Open();
        Assert.Equal(Enumerable.Range(290, 10).Select(i => $"m{i}-{new string('z', 40)}"), reopened.Get("orders")!.Peek(100).Select(TextOf));
    }

    [Fact]
    public async Task MaintenanceAlsoTrimsSettlementRecordsOfDeletedMessages()
    {
        await using var store = Open();
        var q = (LogQueue)store.Declare("orders", new QueueOptions());
        for (var i = 0; i < 700; i++)
        {
            await q.AcceptAsync(Text($"m{i}"), CancellationToken.None);
            await q.FetchAsync(1, CancellationToken.None); // one settlement record each
        }

        var acksBefore = DirectoryBytes(Path.Combine(_dir.Sub("orders"), "acks"));
        store.RunMaintenance();
        var acksAfter = DirectoryBytes(Path.Combine(_dir.Sub("orders"), "acks"));

        Assert.True(acksAfter < acksBefore, $"acks log {acksAfter} < {acksBefore}");
        await q.AcceptAsync(Text("kept"), CancellationToken.None);
        await store.DisposeAsync();
        await using var reopened = Open();
        Assert.Equal(["kept"], reopened.Get("orders")!.Peek(10).Select(TextOf));
    }

    [Fact]
    public async Task PublishToAClosedStoreFails()
    {
        var store = Open();
        var q = store.Declare("orders", new QueueOptions());
        await store.DisposeAsync();

        var result = await q.AcceptAsync(Text("late"), CancellationToken.None);

        Assert.Equal(TargetOutcome.Failed, result.Outcome);
    }

    private static long DirectoryBytes(string path) => new DirectoryInfo(path).GetFiles().Where(f => f.Name.EndsWith(".log", StringComparison.Ordinal)).Sum(f => f.Length);
}
