namespace EdgeBroker.Server.Configuration;

using System.Text.Json.Serialization;
using EdgeBroker.Core.Streams;
using EdgeBroker.Storage;

/// <summary>
/// One stream: a section <c>EdgeBroker:Streams:&lt;name&gt;</c> in configuration, or the body of
/// <c>PUT /api/streams/{name}</c>. Null log settings fall back to <c>EdgeBroker:Storage</c>.
/// </summary>
public sealed class StreamSettings
{
    public int Partitions { get; set; } = 1;

    /// <summary>Topic filters captured from the default exchange (<c>sensors/#</c>).</summary>
    [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
    public IList<string> Filters { get; } = [];

    public StreamPartitioning Partitioning { get; set; } = StreamPartitioning.Key;

    public long? RetentionAgeMs { get; set; }

    /// <summary>Per partition.</summary>
    public long? RetentionBytes { get; set; }

    public long? SegmentBytes { get; set; }

    /// <summary><c>always</c>, <c>interval:&lt;ms&gt;</c> or <c>never</c>; null = <c>EdgeBroker:Storage:Fsync</c>.</summary>
    public string? Fsync { get; set; }

    public int? LingerMs { get; set; }

    public int? MaxBatchBytes { get; set; }

    /// <exception cref="FormatException">An unparsable fsync policy.</exception>
    public StreamDeclaration ToDeclaration(string name) => new()
    {
        Name = name,
        Partitions = Partitions,
        Filters = [.. Filters],
        Partitioning = Partitioning,
        RetentionAge = RetentionAgeMs is { } age ? TimeSpan.FromMilliseconds(age) : null,
        RetentionBytes = RetentionBytes,
        SegmentBytes = SegmentBytes,
        Fsync = Fsync is { Length: > 0 } fsync ? FsyncPolicy.Parse(fsync) : null,
        Linger = LingerMs is { } linger ? TimeSpan.FromMilliseconds(linger) : null,
        MaxBatchBytes = MaxBatchBytes,
    };

    /// <summary>Null when valid, else why not (the declaration's own message, naming the setting).</summary>
    public string? Check(string name)
    {
        try
        {
            ToDeclaration(name).Validate();
            return RetentionAgeMs is < 1 ? "RetentionAgeMs must be at least 1." : null;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            return ex.Message;
        }
    }

    /// <summary>Validation of the whole <c>EdgeBroker:Streams</c> section (called by <see cref="EdgeBrokerOptionsValidator"/>).</summary>
    internal static void Validate(IDictionary<string, StreamSettings> streams, StreamGroupSettings groups, List<string> failures)
    {
        foreach (var (name, settings) in streams)
        {
            if (settings.Check(name) is { } reason)
            {
                failures.Add($"EdgeBroker:Streams:{name}: {reason}");
            }
        }

        if (groups.SessionTimeoutMs is < 100 or > 3_600_000)
        {
            failures.Add($"EdgeBroker:StreamGroups:SessionTimeoutMs must be between 100 and 3600000 (was {groups.SessionTimeoutMs}).");
        }
    }
}
