namespace EdgeBroker.Storage;

/// <summary>
/// One encoded batch waiting for the writer, or the flush marker the interval timer posts.
/// Thread-safety: handed from the appending thread to the writer task through a channel; completed once.
/// </summary>
internal sealed class PendingAppend
{
    public static readonly PendingAppend FlushRequest = new(null, 0, 0);

    public PendingAppend(byte[]? buffer, int length, int recordCount)
    {
        Buffer = buffer;
        Length = length;
        RecordCount = recordCount;
    }

    /// <summary>Rented from the shared pool; the writer returns it after writing.</summary>
    public byte[]? Buffer { get; set; }

    public int Length { get; }

    public int RecordCount { get; }

    public long Offset { get; set; }

    public bool IsFlushRequest => Buffer is null && Length == 0;

    public TaskCompletionSource<long> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
