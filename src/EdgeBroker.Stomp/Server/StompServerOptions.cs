namespace EdgeBroker.Stomp.Server;

using EdgeBroker.Stomp.Codec;

/// <summary>
/// Settings of the STOMP session adapter (bound by the host from <c>EdgeBroker:Stomp</c>, validated at start).
/// Immutable; one instance is shared by every connection.
/// </summary>
public sealed record StompServerOptions
{
    /// <summary>Frame, header and body limits (RELIABILITY.md "STOMP"); 64 KiB before CONNECT succeeds.</summary>
    public StompCodecLimits Limits { get; init; } = StompCodecLimits.Default;

    /// <summary>The first frame must be CONNECT/STOMP within this time (RELIABILITY.md "Pre-auth limits").</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The smallest interval at which the server sends heart-beats (the <c>sx</c> of CONNECTED); 0 = never.
    /// The effective interval is max(sx, the client's cy).
    /// </summary>
    public int HeartbeatSendMs { get; init; } = 1000;

    /// <summary>
    /// The interval at which the server wants heart-beats (the <c>sy</c> of CONNECTED); 0 = none. It is also a
    /// floor: the server never checks faster than this (RELIABILITY.md "heart-beat floor").
    /// </summary>
    public int HeartbeatReceiveMs { get; init; } = 10_000;

    /// <summary>The connection is closed when nothing arrived for the negotiated interval times this factor.</summary>
    public double HeartbeatTolerance { get; init; } = 1.5;

    /// <summary>Live /topic/ messages queued for one connection before new ones are dropped (counted; R12 allows it for live buffers).</summary>
    public int MaxPendingLiveMessages { get; init; } = 1000;

    /// <summary>Subscriptions per connection.</summary>
    public int MaxSubscriptions { get; init; } = 1000;

    /// <summary>Open transactions per connection, and operations buffered in one transaction.</summary>
    public int MaxTransactions { get; init; } = 16;

    public int MaxTransactionOperations { get; init; } = 10_000;

    /// <summary>Prefetch of a /queue/ subscription without <c>prefetch-count</c>; also the window of ack:auto.</summary>
    public int DefaultPrefetch { get; init; } = 100;

    /// <summary>The largest <c>prefetch-count</c> honoured (bigger values, and 0, are clamped to it).</summary>
    public int MaxPrefetch { get; init; } = 1000;

    /// <summary>How long an ERROR is given to reach the peer (input is drained meanwhile) before the socket closes.</summary>
    public TimeSpan ErrorLinger { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Holds back a connection that SENDs while the memory alarm is on or over its message rate (no rate by default).</summary>
    public Core.Limits.PublishLimits Publishing { get; init; } = Core.Limits.PublishLimits.Unlimited;

    /// <summary>
    /// Refuses a client that connects too often (ERROR <c>connecting too often</c>); off by default. The client is its
    /// <c>client-id</c> header when it sends one, else its login at its IP address.
    /// </summary>
    public Core.Security.FlappingDetector Flapping { get; init; } = Core.Security.FlappingDetector.Disabled;

    /// <summary>The <c>server</c> header of CONNECTED.</summary>
    public string ServerName { get; init; } = "EdgeBroker/1.0";

    /// <summary>Throws <see cref="ArgumentException"/> for values the session cannot run with.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Limits);
        Limits.Validate();
        if (ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("ConnectTimeout must be positive", nameof(ConnectTimeout));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(HeartbeatSendMs);
        ArgumentOutOfRangeException.ThrowIfNegative(HeartbeatReceiveMs);
        ArgumentOutOfRangeException.ThrowIfLessThan(HeartbeatTolerance, 1.0);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPendingLiveMessages, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSubscriptions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTransactions, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTransactionOperations, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPrefetch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(DefaultPrefetch, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(DefaultPrefetch, MaxPrefetch);
        if (ErrorLinger < TimeSpan.Zero)
        {
            throw new ArgumentException("ErrorLinger must not be negative", nameof(ErrorLinger));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(ServerName);
    }
}
