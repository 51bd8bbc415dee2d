namespace EdgeBroker.Storage.Tests;

using System.Buffers;
using System.Text;

/// <summary>Freezes the on-disk batch layout: changing it breaks every existing data directory.</summary>
[Trait("Category", "Unit")]
public sealed class RecordBatchFormatTests
{
    private const string GoldenHex =
        "3A000000" + "01" + "00" + "0000"      // length 58, magic 1, attributes 0, reserved
        + "0500000000000000"                   // base offset 5
        + "01000000" + "02000000"              // last offset delta 1, record count 2
        + "E803000000000000"                   // first timestamp 1000
        + "EB03000000000000"                   // max timestamp 1003
        + "CRC_____"                           // CRC32C over [0,40) and [44,58), cross-checked with an independent bitwise CRC-32C
        + "00" + "00" + "00" + "01" + "6B" + "02" + "7631"   // delta 0, ts +0, flags 0, key "k", value "v1"
        + "01" + "06" + "01" + "01" + "6B" + "00";           // delta 1, ts +3 (zigzag 6), tombstone, key "k", no value

    [Fact]
    public void EncodesABatchToTheFrozenBytes()
    {
        var records = new[]
        {
            new LogRecord(Encoding.ASCII.GetBytes("k"), Encoding.ASCII.GetBytes("v1"), 1000),
            LogRecord.Tombstone(Encoding.ASCII.GetBytes("k"), 1003),
        };
        var buffer = RecordBatchWriter.EncodeForAppend(records, out var length);
        try
        {
            var batch = buffer.AsSpan(0, length);
            RecordBatch.Seal(batch, 5);
            var hex = Convert.ToHexString(batch);
            Assert.Equal("0C2BE37C", hex.Substring(80, 8));
            Assert.Equal(GoldenHex.Replace("CRC_____", "0C2BE37C", StringComparison.Ordinal), hex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    [Fact]
    public void DecodesTheFrozenBytes()
    {
        var bytes = Convert.FromHexString(GoldenHex.Replace("CRC_____", "0C2BE37C", StringComparison.Ordinal));
        Assert.True(RecordBatch.TryReadHeader(bytes, bytes.Length, out var header));
        Assert.True(RecordBatch.IsCrcValid(bytes, header));
        Assert.Equal(7, header.NextOffset);
        var entries = new List<LogEntry>();
        long budget = long.MaxValue;
        Assert.True(RecordBatchReader.TryDecode(bytes, header, 0, long.MaxValue, entries, ref budget, 10));
        Assert.Equal(2, entries.Count);
        Assert.Equal((5L, 1000L, "v1", false), (entries[0].Offset, entries[0].TimestampMs, Encoding.ASCII.GetString(entries[0].Value.Span), entries[0].IsTombstone));
        Assert.Equal((6L, 1003L, true), (entries[1].Offset, entries[1].TimestampMs, entries[1].IsTombstone));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(40)]
    [InlineData(50)]
    public void TheCrcCoversLengthBaseOffsetAndRecords(int byteToFlip)
    {
        var bytes = Convert.FromHexString(GoldenHex.Replace("CRC_____", "0C2BE37C", StringComparison.Ordinal));
        bytes[byteToFlip] ^= 0x01;
        var valid = RecordBatch.TryReadHeader(bytes, bytes.Length, out var header) && RecordBatch.IsCrcValid(bytes, header);
        Assert.False(valid);
    }

    [Fact]
    public void RejectsALengthBeyondTheBytesAvailable()
    {
        var bytes = Convert.FromHexString(GoldenHex.Replace("CRC_____", "0C2BE37C", StringComparison.Ordinal));
        bytes[3] = 0x80;
        Assert.False(RecordBatch.TryReadHeader(bytes, bytes.Length, out _));
    }
}
