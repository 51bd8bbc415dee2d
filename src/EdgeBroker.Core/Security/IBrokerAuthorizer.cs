namespace EdgeBroker.Core.Security;

using EdgeBroker.Core.Messages;

/// <summary>
/// The one authentication/authorization hook every adapter goes through (MQTT, STOMP, SignalR, HTTP).
/// The default (<see cref="AllowAllAuthorizer"/>) allows everything; issue 8 adds users and ACLs.
/// Implementations must be thread-safe and fast: the checks run on every publish and subscribe.
/// </summary>
public interface IBrokerAuthorizer
{
    ValueTask<AuthenticationResult> AuthenticateAsync(AuthenticationRequest request, CancellationToken cancellationToken);

    bool CanPublish(ClientIdentity client, string topic);

    bool CanSubscribe(ClientIdentity client, string topicFilter);

    /// <summary>Consume from a queue or stream by name.</summary>
    bool CanConsume(ClientIdentity client, string destination);

    /// <summary>Send straight to a queue (STOMP /queue/…, HTTP). Defaults to the publish check on the queue name.</summary>
    bool CanPublishToQueue(ClientIdentity client, string queue) => CanPublish(client, queue);

    /// <summary>Read a stream's history or consume it in a group. Defaults to the consume check.</summary>
    bool CanReadStream(ClientIdentity client, string stream) => CanConsume(client, stream);
}

/// <param name="CertificateName">
/// The subject name of a client certificate the TLS handshake already verified (see <see cref="CertificateNames"/>),
/// or null (plain transport, or no certificate presented). The authorizer decides whether it names the user.
/// </param>
public sealed record AuthenticationRequest(ProtocolKind Protocol, string ClientId, string? UserName, ReadOnlyMemory<byte> Password, string? RemoteAddress, string? CertificateName = null);

public enum AuthenticationOutcome
{
    Accepted = 0,
    BadCredentials = 1,
    NotAuthorized = 2,
}

public sealed record AuthenticationResult(AuthenticationOutcome Outcome, ClientIdentity? Identity)
{
    public bool Succeeded => Outcome == AuthenticationOutcome.Accepted;
}
