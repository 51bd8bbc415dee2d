namespace EdgeBroker.Core.Security;

using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

/// <summary>
/// The configured authentication and authorization hook: users from a password file (PBKDF2-SHA512), an ACL
/// file, and the anonymous policy (Mosquitto 2 semantics: anonymous only where allowed explicitly or on a
/// loopback-only broker; the host decides and passes <see cref="SecurityPolicy.AllowAnonymous"/>).
/// </summary>
/// <remarks>
/// <para>Authentication answers the same way, after the same work, whether the user exists or not: an unknown
/// user is verified against a dummy hash with the default cost, so timing does not reveal valid names.</para>
/// <para>A verified password is remembered as an HMAC under a per-process random key (never the password),
/// so a reconnecting device does not pay 0.1 s of PBKDF2 each time; the entry is dropped when the password file
/// changes because a new instance is built. Failures are never cached.</para>
/// <para>Thread-safety: immutable policy plus a concurrent cache; safe for any number of callers.</para>
/// </remarks>
public sealed class FileAuthorizer : IBrokerAuthorizer
{
    private static readonly PasswordHash DummyHash = CreateDummy();

    private readonly SecurityPolicy _policy;
    private readonly AclPolicy? _acl;
    private readonly byte[] _cacheKey = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, byte[]> _verified = new(StringComparer.Ordinal);

    private readonly FlappingDetector _failedLogins;

    /// <param name="failedLogins">
    /// Counts failed password checks per remote IP and bans an IP over its limit (loopback is never banned); a banned
    /// IP gets the same "bad credentials" answer without a password check, so guessing stops costing PBKDF2 time.
    /// </param>
    public FileAuthorizer(SecurityPolicy policy, FlappingDetector? failedLogins = null)
    {
        _policy = policy ?? throw new ArgumentNullException(nameof(policy));
        _acl = policy.Acl is { } acl ? new AclPolicy(acl) : null;
        _failedLogins = failedLogins ?? FlappingDetector.Disabled;
    }

    public SecurityPolicy Policy => _policy;

    public async ValueTask<AuthenticationResult> AuthenticateAsync(AuthenticationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_policy.UseCertificateAsUserName && request.CertificateName is { } certificateName)
        {
            // The handshake verified the chain to the configured CA: the certificate is the credential, and any
            // user name or password in CONNECT is ignored, so a client cannot claim a name its certificate lacks.
            // A CN that is not a valid user name (say "a/+") is refused: %u in ACL patterns must not widen.
            return UserNames.IsValid(certificateName, out _)
                ? Accept(request, certificateName)
                : new AuthenticationResult(AuthenticationOutcome.NotAuthorized, null);
        }

        if (request.UserName is null)
        {
            return _policy.AllowAnonymous
                ? Accept(request, userName: null)
                : new AuthenticationResult(AuthenticationOutcome.NotAuthorized, null);
        }

        if (_policy.Users is not { } users)
        {
            // No password file: a name without a password check is only an anonymous client with a label.
            return _policy.AllowAnonymous
                ? Accept(request, request.UserName)
                : new AuthenticationResult(AuthenticationOutcome.BadCredentials, null);
        }

        var guesser = RemoteIp(request.RemoteAddress);
        if (guesser is not null && _failedLogins.IsBanned(guesser))
        {
            return new AuthenticationResult(AuthenticationOutcome.BadCredentials, null);
        }

        var known = users.TryGetValue(request.UserName, out var hash);
        var password = request.Password;
        var ok = known && IsCached(request.UserName, password.Span);
        if (!ok)
        {
            // PBKDF2 is ~0.1 s of CPU: run it off the caller's I/O thread.
            var candidate = known ? hash : DummyHash;
            ok = await Task.Run(() => PasswordHasher.Verify(candidate, password.Span), cancellationToken).ConfigureAwait(false) && known;
            if (ok)
            {
                _verified[request.UserName] = Mac(password.Span);
            }
        }

        if (!ok && guesser is not null)
        {
            _failedLogins.TryAdmit(guesser);
        }

        return ok ? Accept(request, request.UserName) : new AuthenticationResult(AuthenticationOutcome.BadCredentials, null);
    }

    public bool CanPublish(ClientIdentity client, string topic) => _acl?.CanPublish(client, topic) ?? true;

    public bool CanSubscribe(ClientIdentity client, string topicFilter) => _acl?.CanSubscribe(client, topicFilter) ?? true;

    public bool CanConsume(ClientIdentity client, string destination) => _acl?.CanAccess(client, AclResource.Queue, destination, AclAccess.Read) ?? true;

    public bool CanPublishToQueue(ClientIdentity client, string queue) => _acl?.CanAccess(client, AclResource.Queue, queue, AclAccess.Write) ?? true;

    public bool CanReadStream(ClientIdentity client, string stream) => _acl?.CanAccess(client, AclResource.Stream, stream, AclAccess.Read) ?? true;

    /// <summary>The IP of "ip:port" / "[v6]:port"; null for loopback and unknown addresses (never banned).</summary>
    private static string? RemoteIp(string? remoteAddress) =>
        remoteAddress is not null && System.Net.IPEndPoint.TryParse(remoteAddress, out var endPoint) && !System.Net.IPAddress.IsLoopback(endPoint.Address)
            ? endPoint.Address.ToString()
            : null;

    private static AuthenticationResult Accept(AuthenticationRequest request, string? userName) =>
        new(AuthenticationOutcome.Accepted, new ClientIdentity(request.Protocol, request.ClientId, userName, request.RemoteAddress));

    private bool IsCached(string user, ReadOnlySpan<byte> password) =>
        _verified.TryGetValue(user, out var mac) && CryptographicOperations.FixedTimeEquals(mac, Mac(password));

    private byte[] Mac(ReadOnlySpan<byte> password) => HMACSHA256.HashData(_cacheKey, password);

    private static PasswordHash CreateDummy()
    {
        var encoded = PasswordHasher.Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)));
        return PasswordHasher.TryParse(encoded, out var hash, out var error) ? hash : throw new InvalidOperationException(error);
    }
}
