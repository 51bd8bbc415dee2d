namespace EdgeBroker.Server.Http.Contracts;

/// <summary>The body of <c>POST /api/streams/{name}/groups/{group}/heartbeat</c>.</summary>
public sealed class GroupMemberRequest
{
    public string? MemberId { get; set; }
}
