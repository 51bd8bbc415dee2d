namespace EdgeBroker.Server.Hub.Contracts;

/// <summary>The argument of the hub's <c>publish</c>: a message for the default topic exchange.</summary>
public sealed class HubPublishRequest
{
    public string? Topic { get; set; }

    public string? Payload { get; set; }

    /// <summary><c>text</c> (UTF-8, the default) or <c>base64</c> (binary).</summary>
    public string? Encoding { get; set; }

    public string? ContentType { get; set; }

    public int? Qos { get; set; }

    public bool? Retain { get; set; }

    public Dictionary<string, string>? Headers { get; set; }
}
