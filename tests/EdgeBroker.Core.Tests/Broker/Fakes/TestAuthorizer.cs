namespace EdgeBroker.Core.Tests.Broker.Fakes;

using EdgeBroker.Core.Security;

/// <summary>An authorizer whose answers the test sets; records what it was asked.</summary>
internal sealed class TestAuthorizer : IBrokerAuthorizer
{
    public Func<ClientIdentity, string, bool> Publish { get; set; } = (_, _) => true;

    public Func<ClientIdentity, string, bool> Subscribe { get; set; } = (_, _) => true;

    public Func<ClientIdentity, string, bool> Consume { get; set; } = (_, _) => true;

    public List<string> Asked { get; } = [];

    public ValueTask<AuthenticationResult> AuthenticateAsync(AuthenticationRequest request, CancellationToken cancellationToken) =>
        AllowAllAuthorizer.Instance.AuthenticateAsync(request, cancellationToken);

    public bool CanPublish(ClientIdentity client, string topic)
    {
        Asked.Add("publish " + topic);
        return Publish(client, topic);
    }

    public bool CanSubscribe(ClientIdentity client, string topicFilter)
    {
        Asked.Add("subscribe " + topicFilter);
        return Subscribe(client, topicFilter);
    }

    public bool CanConsume(ClientIdentity client, string destination)
    {
        Asked.Add("consume " + destination);
        return Consume(client, destination);
    }
}
