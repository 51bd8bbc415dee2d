namespace EdgeBroker.Core.Streams;

/// <summary>How a captured or appended message picks its partition. Values reach disk (stream declarations); keep them stable.</summary>
public enum StreamPartitioning
{
    /// <summary>By <see cref="Messages.Message.Key"/> (same key, same partition); round robin when a message has no key.</summary>
    Key = 0,

    /// <summary>By topic (same topic, same partition: per-device order when devices publish on their own topic). The key is ignored.</summary>
    Topic = 1,

    /// <summary>Round robin over the partitions, whatever the key (spreads load; no per-key order).</summary>
    RoundRobin = 2,
}
