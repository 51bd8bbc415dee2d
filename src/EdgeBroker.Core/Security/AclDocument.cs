namespace EdgeBroker.Core.Security;

/// <summary>A parsed ACL file (see <see cref="AclFile"/>). An empty document denies everything.</summary>
public sealed record AclDocument(
    AclSection Anonymous,
    IReadOnlyDictionary<string, AclSection> Users,
    IReadOnlyDictionary<string, AclSection> Clients,
    IReadOnlyList<AclRule> Patterns);
