namespace EdgeBroker.Storage.Tests;

/// <summary>F04–F08: torn tails, garbage, bit flips and broken indexes on real files.</summary>
[Trait("Category", "Crash")]
public sealed class CorruptionTests
{
    private static LogOptions Options(long segmentBytes = 4096) =>
        new() { SegmentBytes = segmentBytes, MaxRecordBytes = 900, IndexIntervalBytes = 256 };

    private static async Task WriteAsync(string directory, int count, long segmentBytes = 4096)
    {
        // Setup data only: fsync once at close instead of per append (these tests damage files, not fsyncs).
        await using var log = Log.Open(directory, Options(segmentBytes) with { Fsync = FsyncPolicy.Never }, out _);
        for (var i = 0; i < count; i++)
        {
            await log.AppendAsync(TestRecords.Make(i, padding: i % 40));
        }
    }

    private static string[] Segments(string directory) => Directory.GetFiles(directory, "*.log").Order(StringComparer.Ordinal).ToArray();

    private static void MakeUnclean(string directory, bool dropCheckpoint = false)
    {
        File.Delete(Path.Combine(directory, "clean-shutdown"));
        if (dropCheckpoint)
        {
            File.Delete(Path.Combine(directory, "recovery-point"));
        }
    }

    /// <summary>File positions of the batches in a segment, from its bytes.</summary>
    private static List<(long Position, BatchHeader Header)> Batches(string segment)
    {
        var bytes = File.ReadAllBytes(segment);
        var list = new List<(long, BatchHeader)>();
        for (long p = 0; p < bytes.Length;)
        {
            Assert.True(RecordBatch.TryReadHeader(bytes.AsSpan((int)p), bytes.Length - p, out var h));
            list.Add((p, h));
            p += h.Length;
        }

        return list;
    }

    [Fact]
    [Trait("Spec", "F04")]
    public async Task TruncatesATornLastBatchAtEveryByteOffset()
    {
        using var dir = new TempDirectory();
        await WriteAsync(dir.Path, 50, segmentBytes: 64 * 1024);
        var segment = Assert.Single(Segments(dir.Path));
        var pristine = File.ReadAllBytes(segment);
        var lastStart = Batches(segment)[^1].Position;
        for (var cut = lastStart; cut < pristine.Length; cut++)
        {
            File.WriteAllBytes(segment, pristine.AsSpan(0, (int)cut).ToArray());
            MakeUnclean(dir.Path);
            await using var log = Log.Open(dir.Path, Options(64 * 1024), out var report);
            Assert.Equal(49, log.EndOffset);
            Assert.Equal(cut - lastStart, report.BytesTruncated);
            Assert.Empty(report.CorruptRanges);
            Assert.Equal(49, TestRecords.ReadAll(log).Count);
            Assert.Equal(20, log.FindOffsetByTime(1020));
            Assert.Equal(lastStart, new FileInfo(segment).Length);
        }
    }

    [Theory]
    [Trait("Spec", "F05")]
    [InlineData(1, true)]
    [InlineData(7, false)]
    [InlineData(100, true)]
    [InlineData(1024, false)]
    public async Task RemovesGarbageAppendedToTheActiveSegmentAndItsIndex(int garbageBytes, bool clean)
    {
        using var dir = new TempDirectory();
        await WriteAsync(dir.Path, 200);
        var active = Segments(dir.Path)[^1];
        var length = new FileInfo(active).Length;
        var garbage = new byte[garbageBytes];
        new Random(garbageBytes).NextBytes(garbage);
        using (var f = File.Open(active, FileMode.Append))
        {
            f.Write(garbage);
        }

        using (var f = File.Open(Path.ChangeExtension(active, ".index"), FileMode.Append))
        {
            f.Write(garbage);
        }

        if (!clean)
        {
            MakeUnclean(dir.Path);
        }

        await using var log = Log.Open(dir.Path, Options(), out var report);
        Assert.Equal(garbageBytes, report.BytesTruncated);
        Assert.Empty(report.CorruptRanges);
        Assert.Equal(length, new FileInfo(active).Length);
        var all = TestRecords.ReadAll(log);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => (long)i), all.Select(e => e.Offset));
        Assert.Equal(150, log.FindOffsetByTime(1150));
    }

    [Theory]
    [Trait("Spec", "F06")]
    [InlineData(false)]
    [InlineData(true)]
    public async Task QuarantinesABitFlipInASealedSegmentAndKeepsServingTheRest(bool foundByRecovery)
    {
        using var dir = new TempDirectory();
        await WriteAsync(dir.Path, 300);
        var segments = Segments(dir.Path);
        Assert.True(segments.Length >= 3);
        var victim = segments[1];
        var batches = Batches(victim);
        var (position, header) = batches[batches.Count / 2];
        var bytes = File.ReadAllBytes(victim);
        bytes[position + RecordBatch.HeaderSize + 3] ^= 0x10;
        File.WriteAllBytes(victim, bytes);
        if (foundByRecovery)
        {
            MakeUnclean(dir.Path, dropCheckpoint: true);
        }

        await using var log = Log.Open(dir.Path, Options(), out var report);
        if (foundByRecovery)
        {
            var range = Assert.Single(report.CorruptRanges);
            Assert.Equal((header.BaseOffset, header.NextOffset, position), (range.StartOffset, range.EndOffset, range.FilePosition));
        }

        Assert.Equal(300, log.EndOffset);
        var thrown = Assert.Throws<LogCorruptedException>(() => log.Read(header.BaseOffset, 10));
        Assert.Equal(header.NextOffset, thrown.EndOffset);
        Assert.Equal(header.NextOffset, log.Read(header.NextOffset, 1)[0].Offset);
        var before = log.Read(header.BaseOffset - 3, 10);
        Assert.Equal(new[] { header.BaseOffset - 3, header.BaseOffset - 2, header.BaseOffset - 1 }, before.Select(e => e.Offset));
        var all = TestRecords.ReadAll(log);
        Assert.Equal(300 - (header.NextOffset - header.BaseOffset), all.Count);
        Assert.Single(log.CorruptRanges);
        Assert.Equal(bytes.Length, new FileInfo(victim).Length);
        Assert.Equal(bytes, File.ReadAllBytes(victim));
    }

    [Theory]
    [Trait("Spec", "F07")]
    [InlineData(0x80)]
    [InlineData(0x01)]
    public async Task QuarantinesAFlippedLengthFieldWithoutAllocatingFromIt(byte flip)
    {
        using var dir = new TempDirectory();
        await WriteAsync(dir.Path, 300);
        var victim = Segments(dir.Path)[1];
        var batches = Batches(victim);
        var (position, header) = batches[2];
        var bytes = File.ReadAllBytes(victim);
        bytes[position + 3] ^= flip;
        File.WriteAllBytes(victim, bytes);
        MakeUnclean(dir.Path, dropCheckpoint: true);
        await using var log = Log.Open(dir.Path, Options(), out var report);
        var range = Assert.Single(report.CorruptRanges);
        Assert.Equal((header.BaseOffset, header.NextOffset), (range.StartOffset, range.EndOffset));
        Assert.Equal(0, report.BytesTruncated);
        Assert.Throws<LogCorruptedException>(() => log.Read(header.BaseOffset, 1));
        Assert.Equal(300 - (header.NextOffset - header.BaseOffset), TestRecords.ReadAll(log).Count);
    }

    [Fact]
    [Trait("Spec", "F06")]
    public async Task ABadBatchFollowedByValidOnesInTheActiveSegmentIsCorruptionNotATornTail()
    {
        using var dir = new TempDirectory();
        await WriteAsync(dir.Path, 40, segmentBytes: 64 * 1024);
        var segment = Assert.Single(Segments(dir.Path));
        var (position, header) = Batches(segment)[10];
        var bytes = File.ReadAllBytes(segment);
        bytes[position + 20] ^= 0x04;
        File.WriteAllBytes(segment, bytes);
        MakeUnclean(dir.Path);
        await using var log = Log.Open(dir.Path, Options(64 * 1024), out var report);
        Assert.Equal(0, report.BytesTruncated);
        Assert.Single(report.CorruptRanges);
        Assert.Equal(40, log.EndOffset);
        Assert.Equal(39, TestRecords.ReadAll(log).Count);
        Assert.Throws<LogCorruptedException>(() => log.Read(header.BaseOffset, 1));
    }

    [Theory]
    [Trait("Spec", "F08")]
    [InlineData("delete")]
    [InlineData("garbage")]
    [InlineData("stale")]
    public async Task RebuildsAMissingGarbageOrStaleIndex(string damage)
    {
        using var dir = new TempDirectory();
        await WriteAsync(dir.Path, 300);
        foreach (var segment in Segments(dir.Path))
        {
            foreach (var index in new[] { Path.ChangeExtension(segment, ".index"), Path.ChangeExtension(segment, ".timeindex") })
            {
                switch (damage)
                {
                    case "delete":
                        File.Delete(index);
                        break;
                    case "garbage":
                        var junk = new byte[new FileInfo(index).Length + 8];
                        new Random(1).NextBytes(junk);
                        File.WriteAllBytes(index, junk);
                        break;
                    default:
                        var entries = File.ReadAllBytes(index);
                        var stale = entries.Concat(Enumerable.Repeat((byte)0x7F, 24)).ToArray();
                        File.WriteAllBytes(index, stale);
                        break;
                }
            }
        }

        await using (var log = Log.Open(dir.Path, Options(), out var report))
        {
            Assert.True(report.IndexesRebuilt > 0);
            Assert.Equal(Enumerable.Range(0, 300).Select(i => (long)i), TestRecords.ReadAll(log).Select(e => e.Offset));
            for (var i = 0; i < 300; i += 17)
            {
                Assert.Equal(i, log.Read(i, 1)[0].Offset);
                Assert.Equal(i, log.FindOffsetByTime(1000 + i));
            }
        }

        await using var again = Log.Open(dir.Path, Options(), out var second);
        Assert.Equal(0, second.IndexesRebuilt);
    }
}
