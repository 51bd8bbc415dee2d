namespace EdgeBroker.Server.Http.Contracts;

using System.Text.Json.Serialization;

/// <summary>
/// The body of <c>POST /api/publish</c>. The payload is either UTF-8 text (<see cref="Payload"/>) or binary
/// (<see cref="PayloadBase64"/>), never both. Target: the default exchange by topic, or a named
/// <see cref="Exchange"/>, or straight to one <see cref="Queue"/>.
/// </summary>
public sealed class PublishRequest
{
    public string? Topic { get; set; }

    public string? Payload { get; set; }

    public string? PayloadBase64 { get; set; }

    public string? ContentType { get; set; }

    [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>0, 1 or 2; default 1 (durable handling, acknowledged only once stored).</summary>
    public int? Qos { get; set; }

    public bool Retain { get; set; }

    public string? Key { get; set; }

    public string? CorrelationId { get; set; }

    public string? ResponseTopic { get; set; }

    public string? Exchange { get; set; }

    public string? Queue { get; set; }
}
