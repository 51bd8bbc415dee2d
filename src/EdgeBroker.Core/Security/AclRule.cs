namespace EdgeBroker.Core.Security;

/// <summary>
/// One ACL line. <see cref="IsPattern"/> rules apply to every client with <c>%u</c>/<c>%c</c> (also
/// <c>${username}</c>/<c>${clientid}</c>) replaced; other rules apply to the section they appear in.
/// </summary>
public sealed record AclRule(AclResource Resource, AclAccess Access, string Pattern, bool IsPattern, int Line);
