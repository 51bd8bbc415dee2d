namespace EdgeBroker.Server.Http;

using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeBroker.Core.Queues;
using EdgeBroker.Core.Routing;
using EdgeBroker.Core.Streams;
using EdgeBroker.Server.Configuration;
using EdgeBroker.Server.Http.Contracts;

/// <summary>Source-generated JSON for every API body (camelCase, enums as strings).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(PublishRequest))]
[JsonSerializable(typeof(PublishResponse))]
[JsonSerializable(typeof(MessageResponse))]
[JsonSerializable(typeof(IReadOnlyList<MessageResponse>))]
[JsonSerializable(typeof(OverviewResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(PurgeResponse))]
[JsonSerializable(typeof(QueueStats))]
[JsonSerializable(typeof(IReadOnlyList<QueueStats>))]
[JsonSerializable(typeof(ExchangeInfo))]
[JsonSerializable(typeof(IReadOnlyList<ExchangeInfo>))]
[JsonSerializable(typeof(BindingSpec))]
[JsonSerializable(typeof(IReadOnlyList<BindingSpec>))]
[JsonSerializable(typeof(QueueSettings))]
[JsonSerializable(typeof(ExchangeSettings))]
[JsonSerializable(typeof(BindingSettings))]
[JsonSerializable(typeof(StreamSettings))]
[JsonSerializable(typeof(StreamResponse))]
[JsonSerializable(typeof(IReadOnlyList<StreamResponse>))]
[JsonSerializable(typeof(StreamFetchResponse))]
[JsonSerializable(typeof(StreamAppendRequest))]
[JsonSerializable(typeof(StreamAppendResponse))]
[JsonSerializable(typeof(StreamTruncateRequest))]
[JsonSerializable(typeof(StreamTruncateResponse))]
[JsonSerializable(typeof(GroupFetchRequest))]
[JsonSerializable(typeof(GroupFetchResponse))]
[JsonSerializable(typeof(GroupCommitRequest))]
[JsonSerializable(typeof(GroupMemberRequest))]
[JsonSerializable(typeof(ConsumerGroupInfo))]
[JsonSerializable(typeof(IReadOnlyList<ConsumerGroupInfo>))]
[JsonSerializable(typeof(IReadOnlyList<ClientResponse>))]
internal sealed partial class ApiJsonContext : JsonSerializerContext
{
}
