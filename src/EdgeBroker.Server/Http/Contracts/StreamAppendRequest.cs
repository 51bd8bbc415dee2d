namespace EdgeBroker.Server.Http.Contracts;

using System.Text.Json.Serialization;

/// <summary>
/// The body of <c>POST /api/streams/{name}/records</c>: a payload (text or base64), an optional key (picks the
/// partition), headers, and optionally an explicit partition. <see cref="Topic"/> defaults to the stream name.
/// </summary>
public sealed class StreamAppendRequest
{
    public string? Topic { get; set; }

    public string? Payload { get; set; }

    public string? PayloadBase64 { get; set; }

    public string? ContentType { get; set; }

    public string? Key { get; set; }

    public int? Partition { get; set; }

    [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
