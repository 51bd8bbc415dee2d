namespace EdgeBroker.Server.Http.Contracts;

using System.Text.Json.Serialization;

/// <summary>
/// The body of <c>POST /api/streams/{name}/groups/{group}/commit</c>: per partition, the next offset the group
/// reads (the last processed offset + 1, Kafka semantics). Only the partition's owner may commit.
/// </summary>
public sealed class GroupCommitRequest
{
    public string? MemberId { get; set; }

    [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
    public IList<PartitionOffset> Offsets { get; } = [];
}
