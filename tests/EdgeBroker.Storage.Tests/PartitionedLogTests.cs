namespace EdgeBroker.Storage.Tests;

[Trait("Category", "Unit")]
public sealed class PartitionedLogTests
{
    [Fact]
    public async Task OpensIndependentPartitionsAndReopensThem()
    {
        using var dir = new TempDirectory();
        var options = new LogOptions { SegmentBytes = 4096, MaxRecordBytes = 900 };
        await using (var log = PartitionedLog.Open(dir.Path, 3, options, out var reports))
        {
            Assert.Equal(3, reports.Count);
            await log.Partitions[1].AppendAsync(TestRecords.Make(1));
            await log.Partitions[2].AppendAsync(TestRecords.Make(2));
            await log.Partitions[2].AppendAsync(TestRecords.Make(3));
        }

        Assert.True(Directory.Exists(Path.Combine(dir.Path, "0")));
        await using var reopened = PartitionedLog.Open(dir.Path, 3, options, out _);
        Assert.Equal(new long[] { 0, 1, 2 }, reopened.Partitions.Select(p => p.EndOffset));
    }

    [Fact]
    public async Task RefusesToOpenWithADifferentPartitionCount()
    {
        using var dir = new TempDirectory();
        var options = new LogOptions { SegmentBytes = 4096, MaxRecordBytes = 900 };
        await using (PartitionedLog.Open(dir.Path, 2, options, out _))
        {
        }

        var error = Assert.Throws<InvalidOperationException>(() => PartitionedLog.Open(dir.Path, 4, options, out _));
        Assert.Contains("2 partitions but 4", error.Message, StringComparison.Ordinal);
    }
}
