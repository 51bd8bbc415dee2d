namespace EdgeBroker.Server.Configuration;

using EdgeBroker.Core;
using System.Text.Json.Serialization;
using EdgeBroker.Core.Routing;

/// <summary>
/// One entry of <c>EdgeBroker:Bindings</c>: exchange + pattern → queue (or stream).
/// Exactly one of <see cref="Queue"/> and <see cref="Stream"/> is set.
/// </summary>
public sealed class BindingSettings
{
    public string Exchange { get; set; } = IBroker.DefaultExchange;

    /// <summary>An MQTT topic filter for topic exchanges, an exact topic for direct ones, ignored by fanout.</summary>
    public string Pattern { get; set; } = "";

    public string? Queue { get; set; }

    public string? Stream { get; set; }

    /// <summary>Header arguments for headers exchanges (including <c>x-match</c>).</summary>
    [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public BindingSpec ToBindingSpec() => Queue is { Length: > 0 } queue
        ? new BindingSpec(Exchange, Pattern, BindingTargetKind.Queue, queue, Headers.Count == 0 ? null : new Dictionary<string, string>(Headers, StringComparer.Ordinal))
        : new BindingSpec(Exchange, Pattern, BindingTargetKind.Stream, Stream ?? "", Headers.Count == 0 ? null : new Dictionary<string, string>(Headers, StringComparer.Ordinal));
}
