namespace EdgeBroker.Core.Security;

/// <summary>The default hook: everyone in, everything allowed (loopback development default).</summary>
public sealed class AllowAllAuthorizer : IBrokerAuthorizer
{
    public static AllowAllAuthorizer Instance { get; } = new();

    public ValueTask<AuthenticationResult> AuthenticateAsync(AuthenticationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var identity = new ClientIdentity(request.Protocol, request.ClientId, request.UserName, request.RemoteAddress);
        return ValueTask.FromResult(new AuthenticationResult(AuthenticationOutcome.Accepted, identity));
    }

    public bool CanPublish(ClientIdentity client, string topic) => true;

    public bool CanSubscribe(ClientIdentity client, string topicFilter) => true;

    public bool CanConsume(ClientIdentity client, string destination) => true;
}
