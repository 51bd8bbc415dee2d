namespace EdgeBroker.Server.Configuration;

/// <summary>
/// The <c>EdgeBroker</c> configuration section (appsettings.json, <c>EdgeBroker__…</c> environment
/// variables, <c>--EdgeBroker:X=Y</c> or the friendly switches of <see cref="SwitchMappings"/>).
/// Validated once at start by <see cref="EdgeBrokerOptionsValidator"/>; read-only afterwards.
/// </summary>
public sealed class EdgeBrokerOptions
{
    public const string SectionName = "EdgeBroker";

    /// <summary>Where every log lives. Created when missing; never deleted or "repaired" (F26).</summary>
    public string DataDirectory { get; set; } = "./data";

    public StorageSettings Storage { get; set; } = new();

    public HttpEndpointOptions Http { get; set; } = new();

    public LoggingSettings Logging { get; set; } = new();

    public SecuritySettings Security { get; set; } = new();

    /// <summary>The STOMP adapter: TCP listener, WebSocket endpoint, session limits.</summary>
    public StompSettings Stomp { get; set; } = new();

    /// <summary>MQTT listener, WebSocket path and adapter limits.</summary>
    public MqttSettings Mqtt { get; set; } = new();

    /// <summary>The server certificate and client-certificate policy of every TLS listener.</summary>
    public TlsSettings Tls { get; set; } = new();

    /// <summary>Browser origins allowed on the WebSocket endpoints and the hub.</summary>
    public WebSocketSettings WebSockets { get; set; } = new();

    /// <summary>Connection-rate and inbound byte-rate limits of the MQTT and STOMP listeners.</summary>
    public LimitsSettings Limits { get; set; } = new();

    /// <summary>Queues declared at every start (idempotent; existing queues keep their messages).</summary>
    public IList<QueueSettings> Queues { get; } = [];

    /// <summary>Exchanges declared at every start, besides the default <c>amq.topic</c>.</summary>
    public IList<ExchangeSettings> Exchanges { get; } = [];

    /// <summary>Bindings applied at every start, after exchanges and queues.</summary>
    public IList<BindingSettings> Bindings { get; } = [];

    /// <summary>Streams declared at every start, by name (<c>EdgeBroker:Streams:telemetry:Filters:0=sensors/#</c>).</summary>
    public IDictionary<string, StreamSettings> Streams { get; } = new Dictionary<string, StreamSettings>(StringComparer.Ordinal);

    /// <summary>Consumer-group timing for every stream.</summary>
    public StreamGroupSettings StreamGroups { get; set; } = new();

    /// <summary>Topic name and filter limits for every protocol.</summary>
    public TopicSettings Topics { get; set; } = new();
}
