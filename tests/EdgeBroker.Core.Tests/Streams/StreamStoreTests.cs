namespace EdgeBroker.Core.Tests.Streams;

using EdgeBroker.Core.Routing;
using EdgeBroker.Core.Streams;
using EdgeBroker.Core.Tests.Persistence;
using EdgeBroker.Storage;
using FsCheck;
using FsCheck.Fluent;

[Trait("Category", "Unit")]
public sealed class StreamStoreTests
{
    [Fact]
    public async Task SameKeyAlwaysLandsInTheSamePartitionAcrossARestart()
    {
        await using var harness = new StreamHarness(FsyncPolicy.Never);
        var stream = await harness.DeclareAsync("telemetry", partitions: 8);
        var first = new Dictionary<string, int>();
        for (var i = 0; i < 40; i++)
        {
            var key = "device-" + (i % 10);
            var result = await stream.AppendAsync(StreamHarness.Message("sensors/x", i.ToString(), key));
            if (first.TryGetValue(key, out var partition))
            {
                Assert.Equal(partition, result.Partition);
            }
            else
            {
                first[key] = result.Partition;
            }
        }

        Assert.True(first.Values.Distinct().Count() > 1, "ten keys over eight partitions should not all hash to one");
        await harness.ReopenAsync();
        var reopened = harness.Store.Get("telemetry")!;
        foreach (var (key, partition) in first)
        {
            Assert.Equal(partition, (await reopened.AppendAsync(StreamHarness.Message("sensors/x", "again", key))).Partition);
        }
    }

    [Fact]
    public async Task ACommitBeyondTheEndRecoveredAfterAPowerLossIsResetToTheEndAndReported()
    {
        // F24 / R7: under fsync=never a commit can be durable while the records it covers are not.
        await using var harness = new StreamHarness(FsyncPolicy.Never);
        var stream = await harness.DeclareAsync("events");
        for (var i = 0; i < 5; i++)
        {
            await stream.AppendAsync(StreamHarness.Message("sensors/x", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        var member = harness.Store.Group("events", "g").Join("m", GroupDeliveryMode.AtLeastOnce, StreamPosition.First);
        Assert.Equal(5, (await member.FetchAsync(10, TimeSpan.Zero)).Records.Count);
        await member.CommitAsync(0, 5);
        member.Leave();

        // The power loss: the partition's records never reached the disk (no clean shutdown, empty segments); the
        // offsets log, written elsewhere, kept the commit.
        await harness.ReopenAsync(whileClosed: () =>
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(harness.Root, "events"), "*", SearchOption.AllDirectories))
            {
                // Storage's file names (SegmentFiles is internal to it): segments, indexes, markers.
                if (file.EndsWith(".log", StringComparison.Ordinal))
                {
                    File.WriteAllBytes(file, []);
                }
                else if (Path.GetFileName(file) is "clean-shutdown" or "recovery-point" || file.EndsWith(".index", StringComparison.Ordinal) || file.EndsWith(".timeindex", StringComparison.Ordinal))
                {
                    File.Delete(file);
                }
            }
        });

        var group = harness.Store.Group("events", "g");
        Assert.Equal(0, harness.Store.Get("events")!.EndOffset(0));
        Assert.Equal(0, group.Committed(0)); // reset to the recovered end, not kept at 5
        Assert.Contains(harness.Store.OpenNotes, n => n.Contains("committed offset 5 is beyond the recovered end 0", StringComparison.Ordinal));

        // The group resumes at the end: the next record written is the next one it gets.
        await harness.Store.Get("events")!.AppendAsync(StreamHarness.Message("sensors/x", "after"));
        var resumed = group.Join("m2", GroupDeliveryMode.AtLeastOnce, StreamPosition.First);
        Assert.Equal(["after"], (await resumed.FetchAsync(10, TimeSpan.Zero)).Records.Select(StreamHarness.Text));
    }

    [Fact]
    public void PartitionOfAKeyIsAPureFunctionOfKeyAndCount()
    {
        Prop.ForAll<NonNull<string>, PositiveInt>((key, count) =>
        {
            var n = Math.Min(count.Get, 1024);
            var p = StreamPartitioner.PartitionFor(key.Get, n);
            return p >= 0 && p < n && p == StreamPartitioner.PartitionFor(new string(key.Get.AsSpan()), n);
        }).QuickCheckThrowOnFailure();

        // Frozen values: a changed hash would re-route keys of existing streams.
        Assert.Equal(0x811C9DC5u, StreamPartitioner.Hash(""));
        Assert.Equal(0xE40C292Cu, StreamPartitioner.Hash("a"));
    }

    [Fact]
    public async Task MessagesWithoutKeyAreSpreadRoundRobinAndTopicPartitioningFollowsTheTopic()
    {
        await using var harness = new StreamHarness(FsyncPolicy.Never);
        var byKey = await harness.DeclareAsync("rr", partitions: 3);
        var partitions = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            partitions.Add((await byKey.AppendAsync(StreamHarness.Message("t", "x"))).Partition);
        }

        Assert.Equal([0, 1, 2, 0, 1, 2], partitions);

        var byTopic = await harness.DeclareAsync("bytopic", partitions: 4, partitioning: StreamPartitioning.Topic);
        var a = (await byTopic.AppendAsync(StreamHarness.Message("room/1", "x", key: "k1"))).Partition;
        var b = (await byTopic.AppendAsync(StreamHarness.Message("room/1", "y", key: "k2"))).Partition;
        Assert.Equal(a, b);
        Assert.Equal(StreamPartitioner.PartitionFor("room/1", 4), a);
    }

    [Fact]
    public async Task OrderAndOffsetsHoldPerPartitionUnderConcurrentAppends()
    {
        await using var harness = new StreamHarness(FsyncPolicy.Always);
        var stream = await harness.DeclareAsync("orders", partitions: 2);
        var acked = new System.Collections.Concurrent.ConcurrentBag<(int Partition, long Offset, string Payload)>();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async writer =>
        {
            for (var i = 0; i < 50; i++)
            {
                var payload = $"{writer}:{i}";
                var result = await stream.AppendAsync(StreamHarness.Message("t", payload, key: "writer-" + writer));
                acked.Add((result.Partition, result.Offset, payload));
            }
        }));

        for (var p = 0; p < 2; p++)
        {
            var records = stream.Read(p, 0, 1000);
            Assert.Equal(acked.Count(a => a.Partition == p), records.Count);
            Assert.Equal(Enumerable.Range(0, records.Count).Select(i => (long)i), records.Select(r => r.Offset));
            foreach (var record in records)
            {
                Assert.Contains((p, record.Offset, StreamHarness.Text(record)), acked);
            }

            // Per key (one writer), the order of acknowledgements is the order in the partition.
            foreach (var writer in records.GroupBy(r => StreamHarness.Text(r).Split(':')[0]))
            {
                var sequence = writer.Select(r => int.Parse(StreamHarness.Text(r).Split(':')[1])).ToList();
                Assert.Equal(sequence.Order(), sequence);
            }
        }
    }

    [Fact]
    public async Task CapturedPublishesOnTheDefaultExchangeAreAppendedExactlyOnce()
    {
        await using var harness = new StreamHarness(FsyncPolicy.Always);
        var fixture = new Broker.Fakes.BrokerFixture();
        var broker = new EdgeBroker.Core.Broker.Broker(new EdgeBroker.Core.Broker.BrokerOptions(), fixture.Queues, fixture.Retained, fixture.Authorizer, fixture.Clock, new InMemoryTopologyStore(), harness.Store);
        harness.Store.AttachTopology(broker.Topology);
        await harness.DeclareAsync("telemetry", 2, StreamPartitioning.Key, "sensors/#", "sensors/+/temp");

        var result = await broker.PublishAsync(StreamHarness.Message("sensors/room1/temp", "21.5", key: "room1"), publisher: null);
        var other = await broker.PublishAsync(StreamHarness.Message("other/x", "no"), publisher: null);

        Assert.Equal(PublishOutcome.Accepted, result.Outcome);
        Assert.Equal(1, result.DurableTargets);
        Assert.Equal(PublishOutcome.NoMatchingSubscribers, other.Outcome);
        var stream = harness.Store.Get("telemetry")!;
        Assert.Equal(1, stream.Stats.Records);
        var partition = StreamPartitioner.PartitionFor("room1", 2);
        Assert.Equal("21.5", StreamHarness.Text(stream.Read(partition, 0, 10).Single()));
        Assert.Equal(2, broker.Topology.Bindings.Count(b => b.TargetKind == BindingTargetKind.Stream));

        Assert.True(await harness.Store.DeleteAsync("telemetry"));
        Assert.DoesNotContain(broker.Topology.Bindings, b => b.TargetKind == BindingTargetKind.Stream);
        Assert.Null(harness.Store.Get("telemetry"));
    }

    [Fact]
    public async Task AStorageFailureIsNeverAcknowledged()
    {
        var io = new FailingFileIO();
        await using var harness = new StreamHarness(FsyncPolicy.Always, io);
        var stream = await harness.DeclareAsync("s");
        Assert.Equal(TargetOutcome.Accepted, (await stream.AcceptAsync(StreamHarness.Message("t", "ok"), default)).Outcome);

        io.FailFsync = true;
        var failed = await stream.AcceptAsync(StreamHarness.Message("t", "lost"), default);
        Assert.Equal(TargetOutcome.Failed, failed.Outcome);
        Assert.Equal(TargetOutcome.Failed, (await stream.AcceptAsync(StreamHarness.Message("t", "after"), default)).Outcome);
        Assert.Equal(1, stream.Stats.Records);
        Assert.True(stream.Stats.Partitions[0].IsReadOnly);
        io.FailFsync = false;
    }

    [Fact]
    public async Task ACapturedPublishIsNotAcknowledgedWhenTheStreamCannotStoreIt()
    {
        var io = new FailingFileIO();
        await using var harness = new StreamHarness(FsyncPolicy.Always, io);
        var fixture = new Broker.Fakes.BrokerFixture();
        var broker = new EdgeBroker.Core.Broker.Broker(new EdgeBroker.Core.Broker.BrokerOptions(), fixture.Queues, fixture.Retained, fixture.Authorizer, fixture.Clock, new InMemoryTopologyStore(), harness.Store);
        harness.Store.AttachTopology(broker.Topology);
        await harness.DeclareAsync("telemetry", 1, StreamPartitioning.Key, "sensors/#");

        io.FailFsync = true;
        var result = await broker.PublishAsync(StreamHarness.Message("sensors/a", "x"), publisher: null);
        io.FailFsync = false;

        // R1/R3: the stream is a durable target; its failure is the publish's failure.
        Assert.Equal(PublishOutcome.Failed, result.Outcome);
        Assert.False(result.IsAcknowledged);
        Assert.Contains("stream:telemetry", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeclarationsSurviveARestartAndConflictingRedeclarationsAreRefused()
    {
        await using var harness = new StreamHarness(FsyncPolicy.Always);
        var declaration = new StreamDeclaration { Name = "events", Partitions = 3, Filters = ["a/#"], RetentionAge = TimeSpan.FromHours(1), Fsync = FsyncPolicy.Every(TimeSpan.FromMilliseconds(50)) };
        Assert.True((await harness.Store.DeclareAsync(declaration)).Created);
        Assert.False((await harness.Store.DeclareAsync(declaration with { Filters = ["a/#"] })).Created);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await harness.Store.DeclareAsync(declaration with { Partitions = 4 }));
        await Assert.ThrowsAsync<ArgumentException>(async () => await harness.Store.DeclareAsync(declaration with { Name = "../x" }));

        await harness.ReopenAsync();
        Assert.Equal(declaration, harness.Store.Get("events")!.Declaration);

        await Assert.ThrowsAsync<InvalidOperationException>(() => harness.ReopenAsync([declaration with { Partitions = 2 }]));
    }

    [Fact]
    public async Task ConfiguredDeclarationsReplaceStoredSettingsButKeepRecords()
    {
        await using var harness = new StreamHarness(FsyncPolicy.Always);
        var stream = await harness.DeclareAsync("cfg", 1, StreamPartitioning.Key, "x/#");
        await stream.AppendAsync(StreamHarness.Message("x/1", "kept"));

        await harness.ReopenAsync([new StreamDeclaration { Name = "cfg", Filters = ["y/#"], RetentionBytes = 1_000_000 }]);

        var reopened = harness.Store.Get("cfg")!;
        Assert.Equal(["y/#"], reopened.Declaration.Filters);
        Assert.Equal("kept", StreamHarness.Text(reopened.Read(0, 0, 10).Single()));
        Assert.Contains(harness.Store.OpenNotes, n => n.Contains("updated 'cfg'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TruncateHidesOlderRecordsDurablyAndDeleteRemovesTheDirectory()
    {
        await using var harness = new StreamHarness(FsyncPolicy.Always);
        var stream = await harness.DeclareAsync("t", partitions: 2);
        for (var i = 0; i < 10; i++)
        {
            await stream.AppendAsync(StreamHarness.Message("t", i.ToString()), partition: i % 2);
        }

        var starts = await harness.Store.TruncateAsync("t", partition: 0, beforeOffset: 3);
        Assert.Equal([3L, 0L], starts);
        Assert.Equal(3, stream.Read(0, 0, 100)[0].Offset);
        Assert.Equal(3, stream.Resolve(0, StreamPosition.First));

        await harness.ReopenAsync();
        var reopened = harness.Store.Get("t")!;
        Assert.Equal(3, reopened.StartOffset(0));
        Assert.Equal(5, reopened.EndOffset(0));
        Assert.Equal(0, reopened.StartOffset(1));

        await harness.Store.TruncateAsync("t");
        Assert.Empty(reopened.Read(1, 0, 100));
        Assert.Equal(5, reopened.StartOffset(1));
        Assert.Equal(5, (await reopened.AppendAsync(StreamHarness.Message("t", "new"), partition: 1)).Offset);

        Assert.True(await harness.Store.DeleteAsync("t"));
        Assert.False(Directory.Exists(Path.Combine(harness.Root, "t")));
        await harness.ReopenAsync();
        Assert.Null(harness.Store.Get("t"));
    }

    [Fact]
    public async Task RetentionDeletesOldSegmentsWhileAReaderKeepsReading()
    {
        await using var harness = new StreamHarness(FsyncPolicy.Never, segmentBytes: 4096);
        var (stream, _) = await harness.Store.DeclareAsync(new StreamDeclaration { Name = "ret", SegmentBytes = 4096, RetentionAge = TimeSpan.FromMinutes(10), RetentionBytes = 64 * 1024 });
        var payload = new string('x', 500);
        var reader = stream.OpenReader(0, StreamPosition.First);
        for (var i = 0; i < 40; i++)
        {
            await stream.AppendAsync(StreamHarness.Message("t", payload, timestampMs: harness.Clock.NowMs));
        }

        Assert.Equal(10, (await reader.ReadAsync(10, TimeSpan.Zero)).Count);
        var segmentsBefore = stream.Stats.Partitions[0].Segments;
        Assert.True(segmentsBefore > 3);

        harness.Clock.Advance(TimeSpan.FromMinutes(11));
        for (var i = 0; i < 3; i++)
        {
            await stream.AppendAsync(StreamHarness.Message("t", "fresh" + i, timestampMs: harness.Clock.NowMs));
        }

        harness.Store.RunMaintenance();

        var after = stream.Stats.Partitions[0];
        Assert.True(after.Segments < segmentsBefore, $"segments {segmentsBefore} -> {after.Segments}");
        Assert.True(after.StartOffset > 10);
        var rest = await reader.ReadAsync(1000, TimeSpan.Zero);
        Assert.Equal(after.StartOffset, rest[0].Offset);
        Assert.Equal("fresh2", StreamHarness.Text(rest[^1]));
    }
}
