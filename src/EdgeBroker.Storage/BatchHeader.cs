namespace EdgeBroker.Storage;

/// <summary>The decoded fixed header of one record batch (see <see cref="RecordBatch"/> for the layout).</summary>
internal readonly record struct BatchHeader(
    int Length,
    long BaseOffset,
    int LastOffsetDelta,
    int RecordCount,
    long FirstTimestamp,
    long MaxTimestamp,
    byte Attributes,
    uint Crc)
{
    /// <summary>The offset after the last record of this batch.</summary>
    public long NextOffset => BaseOffset + LastOffsetDelta + 1;
}
