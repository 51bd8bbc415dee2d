namespace EdgeBroker.Server.Configuration;

using EdgeBroker.Stomp.Codec;
using EdgeBroker.Stomp.Server;

/// <summary>
/// The <c>EdgeBroker:Stomp</c> section: the STOMP TCP listener, STOMP over WebSocket on the HTTP port, and the
/// session limits. Loopback by default, like every listener (RELIABILITY.md "Binding").
/// </summary>
public sealed class StompSettings
{
    /// <summary>Concurrent connections on the STOMP TCP and TLS listeners together; beyond it an ERROR frame, then close. 0 = unlimited.</summary>
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>TCP port; 0 disables the TCP listener (switch <c>--stomp-port</c>).</summary>
    public int Port { get; set; } = 61613;

    /// <summary>An IP address or <c>localhost</c>.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>STOMP over TLS; null = 61614 once <c>EdgeBroker:Tls:CertificateFile</c> is set, 0 disables it.</summary>
    public int? TlsPort { get; set; }

    /// <summary>Where the TLS listener binds; null = <see cref="BindAddress"/>.</summary>
    public string? TlsBindAddress { get; set; }

    /// <summary>The TLS port that opens: 0 without a server certificate.</summary>
    public int EffectiveTlsPort(TlsSettings tls) => tls?.Enabled == true ? TlsPort ?? 61614 : 0;

    /// <summary>Serve STOMP over WebSocket at <see cref="WebSocketPath"/> on the HTTP port.</summary>
    public bool WebSocket { get; set; } = true;

    public string WebSocketPath { get; set; } = "/stomp";

    /// <summary>Older spelling of <c>EdgeBroker:WebSockets:AllowedOrigins</c>; its entries are added to that list (and apply to every WebSocket path).</summary>
    public IList<string> AllowedOrigins { get; } = [];

    public int MaxFrameBytes { get; set; } = StompCodecLimits.DefaultMaxFrameBytes;

    public int ConnectTimeoutMs { get; set; } = 10_000;

    public int HeartbeatSendMs { get; set; } = 1000;

    public int HeartbeatReceiveMs { get; set; } = 10_000;

    public int MaxPendingLiveMessages { get; set; } = 1000;

    public int MaxSubscriptions { get; set; } = 1000;

    public int DefaultPrefetch { get; set; } = 100;

    public int MaxPrefetch { get; set; } = 1000;

    /// <summary>Flapping detection: connects of one client allowed per window before it is refused; 0 disables it.</summary>
    public int FlappingMaxConnects { get; set; }

    public int FlappingWindowSeconds { get; set; } = 60;

    public int FlappingBanSeconds { get; set; } = 300;

    public StompServerOptions ToServerOptions() => new()
    {
        Limits = StompCodecLimits.Default with { MaxFrameBytes = MaxFrameBytes },
        ConnectTimeout = TimeSpan.FromMilliseconds(ConnectTimeoutMs),
        HeartbeatSendMs = HeartbeatSendMs,
        HeartbeatReceiveMs = HeartbeatReceiveMs,
        MaxPendingLiveMessages = MaxPendingLiveMessages,
        MaxSubscriptions = MaxSubscriptions,
        DefaultPrefetch = DefaultPrefetch,
        MaxPrefetch = MaxPrefetch,
        Flapping = FlappingMaxConnects == 0
            ? Core.Security.FlappingDetector.Disabled
            : new Core.Security.FlappingDetector(FlappingMaxConnects, TimeSpan.FromSeconds(FlappingWindowSeconds), TimeSpan.FromSeconds(FlappingBanSeconds)),
    };

    /// <summary>Adds a message per bad key to <paramref name="failures"/>.</summary>
    public void Validate(List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        if (Port is < 0 or > 65535)
        {
            failures.Add($"EdgeBroker:Stomp:Port must be between 0 (disabled) and 65535 (was {Port}).");
        }

        if (!EdgeBrokerOptionsValidator.IsBindAddress(BindAddress))
        {
            failures.Add($"EdgeBroker:Stomp:BindAddress '{BindAddress}' is not an IP address or 'localhost'.");
        }

        if (TlsBindAddress is not null && !EdgeBrokerOptionsValidator.IsBindAddress(TlsBindAddress))
        {
            failures.Add($"EdgeBroker:Stomp:TlsBindAddress '{TlsBindAddress}' is not an IP address or 'localhost'.");
        }

        if (string.IsNullOrEmpty(WebSocketPath) || !WebSocketPath.StartsWith('/'))
        {
            failures.Add($"EdgeBroker:Stomp:WebSocketPath must start with '/' (was '{WebSocketPath}').");
        }

        if (FlappingMaxConnects < 0 || FlappingWindowSeconds is < 1 or > 86_400 || FlappingBanSeconds is < 1 or > 86_400)
        {
            failures.Add($"EdgeBroker:Stomp:FlappingMaxConnects must be 0 (off) or more, FlappingWindowSeconds and FlappingBanSeconds 1..86400 (were {FlappingMaxConnects}, {FlappingWindowSeconds}, {FlappingBanSeconds}).");
            return;
        }

        try
        {
            ToServerOptions().Validate();
        }
        catch (ArgumentException ex)
        {
            failures.Add("EdgeBroker:Stomp: " + ex.Message);
        }
    }
}
