namespace EdgeBroker.Server.Http;

using EdgeBroker.Core.Streams;
using EdgeBroker.Server.Hosting;
using EdgeBroker.Server.Http.Contracts;
using EdgeBroker.Storage;

/// <summary>Shared pieces of the stream endpoints: store lookup (503/404), limits, record views, error mapping. Stateless.</summary>
internal static class StreamApiSupport
{
    public const int DefaultMax = 100;
    public const int MaxRecords = 1000;
    public const int MaxWaitMs = 30_000;

    /// <summary>The stream store, or a 503 problem while starting/stopping (or when the composition has no streams).</summary>
    public static bool TryGetStore(BrokerAccessor accessor, out StreamStore store, out IResult? problem)
    {
        if (accessor.Runtime?.Streams is { } streams)
        {
            store = streams;
            problem = null;
            return true;
        }

        store = null!;
        problem = accessor.Runtime is null
            ? ApiSupport.Unavailable()
            : ApiSupport.Problem(StatusCodes.Status503ServiceUnavailable, "Streams unavailable", "This broker runs without a stream store.");
        return false;
    }

    /// <summary>The store and the named stream, or the 503/404 problem.</summary>
    public static bool TryGetStream(BrokerAccessor accessor, string name, out StreamStore store, out StreamLog stream, out IResult? problem)
    {
        stream = null!;
        if (!TryGetStore(accessor, out store, out problem))
        {
            return false;
        }

        if (store.Get(name) is { } found)
        {
            stream = found;
            return true;
        }

        problem = NotFound(name);
        return false;
    }

    /// <summary>A long poll ends when the client goes away or the host starts stopping (so shutdown never waits for a poll).</summary>
    public static CancellationTokenSource LinkStopping(HttpContext context, IHostApplicationLifetime lifetime) =>
        CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);

    public static IResult NotFound(string name) => ApiSupport.NotFound($"Stream '{name}' does not exist.");

    /// <summary>1..1000 records, 100 when absent; null with a problem when out of range.</summary>
    public static int? CheckMax(int? max, out IResult? problem)
    {
        problem = null;
        var value = max ?? DefaultMax;
        if (value is < 1 or > MaxRecords)
        {
            problem = ApiSupport.BadRequest($"'max' must be between 1 and {MaxRecords} (was {value}).");
            return null;
        }

        return value;
    }

    public static TimeSpan? CheckWait(int? waitMs, out IResult? problem)
    {
        problem = null;
        var value = waitMs ?? 0;
        if (value is < 0 or > MaxWaitMs)
        {
            problem = ApiSupport.BadRequest($"'waitMs' must be between 0 and {MaxWaitMs} (was {value}).");
            return null;
        }

        return TimeSpan.FromMilliseconds(value);
    }

    public static IReadOnlyList<StreamRecordResponse> ToResponses(IReadOnlyList<StreamRecord> records) =>
        [.. records.Select(r => new StreamRecordResponse(r.Partition, r.Offset, r.TimestampMs, ApiSupport.ToResponse(r.Message)))];

    /// <summary>R8: a quarantined range is an explicit server error naming where reading may resume, never silently skipped.</summary>
    public static IResult Corrupt(LogCorruptedException ex) =>
        TypedResults.Problem(
            detail: $"Offsets {ex.Range.StartOffset}..{ex.Range.EndOffset - 1} are quarantined after corruption was detected ({ex.Range.Reason}); resume at offset {ex.EndOffset}.",
            statusCode: StatusCodes.Status500InternalServerError,
            title: "Corrupt records",
            extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["resumeOffset"] = ex.EndOffset });
}
