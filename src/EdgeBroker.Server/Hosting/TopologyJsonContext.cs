namespace EdgeBroker.Server.Hosting;

using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeBroker.Core.Routing;

/// <summary>The on-disk JSON of <see cref="KeyValueTopologyStore"/> values. Enums are stored as numbers (their values are stable).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ExchangeDeclaration))]
[JsonSerializable(typeof(QueueDeclaration))]
[JsonSerializable(typeof(BindingSpec))]
internal sealed partial class TopologyJsonContext : JsonSerializerContext
{
}
