namespace EdgeBroker.Core.Security;

using EdgeBroker.Core.Messages;

/// <summary>An authenticated (or anonymous) connection, as the authorization hook sees it. One per connection.</summary>
public sealed record ClientIdentity(ProtocolKind Protocol, string ClientId, string? UserName, string? RemoteAddress)
{
    public bool IsAnonymous => UserName is null;
}
