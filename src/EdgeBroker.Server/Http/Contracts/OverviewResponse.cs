namespace EdgeBroker.Server.Http.Contracts;

/// <summary>The body of <c>GET /api/overview</c>.</summary>
public sealed record OverviewResponse(
    string Version,
    double UptimeSeconds,
    string Fsync,
    string PowerLossExposure,
    long MessagesIn,
    long MessagesOut,
    long BytesIn,
    long BytesOut,
    long MessagesDropped,
    int Exchanges,
    int Bindings,
    int Queues,
    long ReadyMessages,
    long UnackedMessages);
