namespace EdgeBroker.Core.Security;

/// <summary>The rules of one <c>user</c> or <c>client</c> block; the anonymous block is the one before any of them.</summary>
public sealed record AclSection(IReadOnlyList<AclRule> Rules);
