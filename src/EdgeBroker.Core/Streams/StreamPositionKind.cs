namespace EdgeBroker.Core.Streams;

/// <summary>Where a reader starts. Values reach the wire (STOMP/MQTT headers map onto them); keep them stable.</summary>
public enum StreamPositionKind
{
    /// <summary>The oldest record still held.</summary>
    First = 0,

    /// <summary>The newest record (or where the next one will go when the partition is empty).</summary>
    Last = 1,

    /// <summary>Only records appended from now on.</summary>
    Next = 2,

    /// <summary>An explicit offset.</summary>
    Offset = 3,

    /// <summary>The first record whose timestamp is at or after a Unix-millisecond instant.</summary>
    Timestamp = 4,
}
