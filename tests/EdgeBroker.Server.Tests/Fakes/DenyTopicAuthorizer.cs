namespace EdgeBroker.Server.Tests.Fakes;

using EdgeBroker.Core.Security;

/// <summary>Allows everything except publishing to topics under one prefix.</summary>
internal sealed class DenyTopicAuthorizer(string deniedPrefix) : IBrokerAuthorizer
{
    public ValueTask<AuthenticationResult> AuthenticateAsync(AuthenticationRequest request, CancellationToken cancellationToken) =>
        AllowAllAuthorizer.Instance.AuthenticateAsync(request, cancellationToken);

    public bool CanPublish(ClientIdentity client, string topic) => !topic.StartsWith(deniedPrefix, StringComparison.Ordinal);

    public bool CanSubscribe(ClientIdentity client, string topicFilter) => true;

    public bool CanConsume(ClientIdentity client, string destination) => true;
}
