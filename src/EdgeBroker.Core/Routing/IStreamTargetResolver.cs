namespace EdgeBroker.Core.Routing;

/// <summary>
/// Finds the bind target of a stream by name. Streams arrive in issue 5; until then
/// <see cref="NullStreamTargetResolver"/> resolves nothing. Implementations must be thread-safe.
/// </summary>
public interface IStreamTargetResolver
{
    /// <summary>The stream's target, or null when no such stream exists.</summary>
    IMessageTarget? Resolve(string streamName);
}
