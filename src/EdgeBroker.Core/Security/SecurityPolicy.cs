namespace EdgeBroker.Core.Security;

/// <summary>
/// What <see cref="FileAuthorizer"/> enforces: the users (null = no password file), the ACL (null = no ACL:
/// every authenticated client may do everything) and whether clients without credentials are let in.
/// <paramref name="UseCertificateAsUserName"/>: a verified client certificate's name is the user name and no
/// password is checked (Mosquitto's <c>use_identity_as_username</c>); the TLS handshake is the authentication.
/// </summary>
public sealed record SecurityPolicy(IReadOnlyDictionary<string, PasswordHash>? Users, AclDocument? Acl, bool AllowAnonymous, bool UseCertificateAsUserName = false);
