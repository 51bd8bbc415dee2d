namespace EdgeBroker.Server.Hub.Contracts;

/// <summary>The argument of <c>readStream</c> and <c>followStream</c>.</summary>
public sealed class HubStreamRequest
{
    public string? Stream { get; set; }

    /// <summary>One partition; null = every partition.</summary>
    public int? Partition { get; set; }

    /// <summary><c>first</c> (default), <c>last</c>, <c>next</c>, <c>offset</c> (with <see cref="Offset"/>) or <c>timestamp</c> (with <see cref="Timestamp"/>).</summary>
    public string? From { get; set; }

    public long? Offset { get; set; }

    /// <summary>ISO-8601 date-time, or Unix milliseconds as a string.</summary>
    public string? Timestamp { get; set; }

    /// <summary>1..1000, default 100.</summary>
    public int? Max { get; set; }
}
