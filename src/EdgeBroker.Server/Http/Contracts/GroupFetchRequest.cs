namespace EdgeBroker.Server.Http.Contracts;

using EdgeBroker.Core.Streams;

/// <summary>
/// The body of <c>POST /api/streams/{name}/groups/{group}/fetch</c>. Without <see cref="MemberId"/> the caller joins
/// as a new member (the response names it; send it on every later call, which also counts as a heartbeat).
/// <see cref="Start"/> (<c>first</c>, <c>last</c>, <c>next</c>, <c>offset:N</c>, <c>timestamp:ms</c>) applies to partitions the
/// group never committed.
/// </summary>
public sealed class GroupFetchRequest
{
    public string? MemberId { get; set; }

    public int? Max { get; set; }

    public int? WaitMs { get; set; }

    public GroupDeliveryMode Mode { get; set; } = GroupDeliveryMode.AtLeastOnce;

    public string? Start { get; set; }
}
