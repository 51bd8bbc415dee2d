namespace EdgeBroker.Core.Routing;

/// <summary>No streams yet: every lookup fails. Stateless, thread-safe.</summary>
public sealed class NullStreamTargetResolver : IStreamTargetResolver
{
    public static NullStreamTargetResolver Instance { get; } = new();

    public IMessageTarget? Resolve(string streamName) => null;
}
