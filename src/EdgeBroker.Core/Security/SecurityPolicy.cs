namespace EdgeBroker.Core.Security;

/// <summary>
/// What <see cref="FileAuthorizer"/> enforces: the users (null = no password file), the ACL (null = no ACL:
/// every authenticated client may do everything) and whether clients without credentials are let in.
/// </summary>
public sealed record SecurityPolicy(IReadOnlyDictionary<string, PasswordHash>? Users, AclDocument? Acl, bool AllowAnonymous);
