namespace EdgeBroker.Core.Queues;

/// <summary>Orders entries by id: FIFO, and requeued messages return to the head in their original order.</summary>
internal sealed class QueueEntryIdComparer : IComparer<QueueEntry>
{
    public static QueueEntryIdComparer Instance { get; } = new();

    public int Compare(QueueEntry? x, QueueEntry? y) => (x?.Id ?? long.MinValue).CompareTo(y?.Id ?? long.MinValue);
}
