namespace EdgeBroker.Core.Security;

/// <summary>What an ACL rule grants; <see cref="Deny"/> refuses and beats any allow.</summary>
[Flags]
public enum AclAccess
{
    Deny = 0,

    /// <summary>Topics: subscribe and receive. Streams: read history. Queues: consume.</summary>
    Read = 1,

    /// <summary>Topics: publish. Queues: send to.</summary>
    Write = 2,

    ReadWrite = Read | Write,
}
