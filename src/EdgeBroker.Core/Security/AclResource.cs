namespace EdgeBroker.Core.Security;

/// <summary>What an ACL rule is about.</summary>
public enum AclResource
{
    /// <summary>An MQTT topic filter over the shared topic space (also STOMP <c>/topic/</c>, SignalR, HTTP publish).</summary>
    Topic = 0,

    /// <summary>A queue name (exact, or a prefix ending in <c>*</c>).</summary>
    Queue = 1,

    /// <summary>A stream name (exact, or a prefix ending in <c>*</c>); read = history and group consumption.</summary>
    Stream = 2,
}
