namespace EdgeBroker.Storage.Tests;

using System.Buffers;

/// <summary>Random batches encode and decode to the same records (seeded, deterministic).</summary>
[Trait("Category", "Unit")]
public sealed class RecordBatchRoundTripTests
{
    [Fact]
    public void RandomBatchesRoundTrip()
    {
        var random = new Random(2024);
        for (var iteration = 0; iteration < 500; iteration++)
        {
            var records = Enumerable.Range(0, random.Next(1, 20)).Select(_ =>
            {
                var key = new byte[random.Next(0, 40)];
                var value = new byte[random.Next(0, 300)];
                random.NextBytes(key);
                random.NextBytes(value);
                var ts = random.NextInt64(-1_000_000, 1L << 45);
                return random.Next(8) == 0 ? LogRecord.Tombstone(key, ts) : new LogRecord(key, value, ts);
            }).ToList();
            var baseOffset = random.NextInt64(0, 1L << 50);
            var buffer = RecordBatchWriter.EncodeForAppend(records, out var length);
            var batch = buffer.AsSpan(0, length).ToArray();
            ArrayPool<byte>.Shared.Return(buffer);
            RecordBatch.Seal(batch, baseOffset);

            Assert.True(RecordBatch.TryReadHeader(batch, batch.Length, out var header));
            Assert.True(RecordBatch.IsCrcValid(batch, header));
            Assert.Equal(baseOffset + records.Count, header.NextOffset);
            Assert.Equal(records.Max(r => r.TimestampMs), header.MaxTimestamp);
            var decoded = new List<LogEntry>();
            long budget = long.MaxValue;
            Assert.True(RecordBatchReader.TryDecode(batch, header, 0, long.MaxValue, decoded, ref budget, int.MaxValue));
            Assert.Equal(records.Count, decoded.Count);
            for (var i = 0; i < records.Count; i++)
            {
                Assert.Equal(baseOffset + i, decoded[i].Offset);
                Assert.Equal(records[i].TimestampMs, decoded[i].TimestampMs);
                Assert.Equal(records[i].IsTombstone, decoded[i].IsTombstone);
                Assert.True(records[i].Key.Span.SequenceEqual(decoded[i].Key.Span));
                Assert.True((records[i].IsTombstone ? [] : records[i].Value.Span).SequenceEqual(decoded[i].Value.Span));
            }

            // Any single bit flip is caught by the header checks or the CRC.
            var flipped = batch.ToArray();
            var bit = random.Next(flipped.Length * 8);
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(RecordBatch.TryReadHeader(flipped, flipped.Length, out var h2) && RecordBatch.IsCrcValid(flipped, h2));
        }
    }
}
