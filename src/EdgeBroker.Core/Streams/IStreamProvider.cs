namespace EdgeBroker.Core.Streams;

/// <summary>
/// What the protocol adapters see of streams (DESIGN.md "Scale-out": adapters reach streams through Core
/// abstractions only). The embedded implementation is <see cref="StreamStore"/>. Thread-safe.
/// </summary>
public interface IStreamProvider
{
    /// <summary>The stream, or null when it is not declared.</summary>
    StreamLog? Get(string name);

    /// <summary>The consumer group (created on first use).</summary>
    /// <exception cref="KeyNotFoundException">No such stream.</exception>
    /// <exception cref="ArgumentException">Invalid group name.</exception>
    ConsumerGroup Group(string stream, string group);
}
