namespace EdgeBroker.Server.Http.Contracts;

/// <summary>The body of <c>POST /api/streams/{name}/truncate</c>: every partition (or one) below an offset (default: everything).</summary>
public sealed class StreamTruncateRequest
{
    public int? Partition { get; set; }

    public long? BeforeOffset { get; set; }
}
