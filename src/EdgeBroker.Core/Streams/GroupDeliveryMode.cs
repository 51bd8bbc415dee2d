namespace EdgeBroker.Core.Streams;

/// <summary>When a group member's offsets are committed. Values reach the wire (adapter headers); keep them stable.</summary>
public enum GroupDeliveryMode
{
    /// <summary>The member commits after processing (ack): a crash before the commit means redelivery, never loss.</summary>
    AtLeastOnce = 0,

    /// <summary>Offsets are committed (durably) before records are handed out: a crash may lose records, never repeat them.</summary>
    AtMostOnce = 1,
}
