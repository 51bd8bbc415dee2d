namespace EdgeBroker.Mqtt.Server;

using System.Collections.Concurrent;
using System.IO.Pipelines;
using EdgeBroker.Core;
using EdgeBroker.Core.Sessions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

/// <summary>
/// The MQTT adapter's shared state: the running broker, the session registry (client id → session and its
/// current connection), session takeover, persistence through the core <see cref="ISessionStore"/>, expiry of
/// disconnected sessions, delayed wills and shutdown. Every transport (TCP, TLS, WebSocket) hands its
/// <see cref="IDuplexPipe"/> to <see cref="RunConnectionAsync"/>.
/// Split by concern: MqttServer.Sessions.cs (attach, detach, expiry, persistence).
/// Thread-safety: thread-safe. CONNECT handling is serialized by one async gate (takeover and session
/// resumption must not interleave); the registry itself is guarded by a short lock.
/// </summary>
public sealed partial class MqttServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<MqttConnection, byte> _connections = new();
    private readonly MqttServerCounters _counters = new();
    private IBroker? _broker;
    private ISessionStore _store = new InMemorySessionStore();
    private ITimer? _sweepTimer;
    private ITimer? _sysTimer;
    private volatile bool _stopping;

    public MqttServer(MqttServerOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        Logger = LoggerFactory.CreateLogger("EdgeBroker.Mqtt");
        Time = timeProvider ?? TimeProvider.System;
        StartedAt = Time.GetUtcNow();
    }

    public MqttServerOptions Options { get; }

    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>Connections that completed CONNECT and are attached to a session.</summary>
    public int ConnectedClients => _counters.ConnectedClients;

    /// <summary>Open network connections (including those still before CONNECT).</summary>
    public int OpenConnections => _connections.Count;

    public MqttServerCounters Counters => _counters;

    public bool IsStarted => _broker is not null;

    /// <summary>Where connected clients are listed (dashboard, operator disconnect); null = nowhere. Set before <see cref="Start"/>.</summary>
    public Core.Clients.IClientRegistry? Clients { get; set; }

    internal ILoggerFactory LoggerFactory { get; }

    internal ILogger Logger { get; }

    internal TimeProvider Time { get; }

    internal IBroker Broker => _broker ?? throw new InvalidOperationException("The MQTT server has not been started.");

    internal bool IsStopping => _stopping;

    /// <summary>
    /// Binds the server to the running broker and restores persistent sessions from <paramref name="store"/>
    /// (expired ones are removed). Connections arriving before this are refused with Server unavailable.
    /// </summary>
    public void Start(IBroker broker, ISessionStore? store)
    {
        ArgumentNullException.ThrowIfNull(broker);
        if (store is not null)
        {
            _store = store;
        }

        StartedAt = Time.GetUtcNow();
        RestoreSessions(broker);
        _broker = broker;
        _sweepTimer = Time.CreateTimer(_ => _ = SweepExpiredSessionsAsync(), null, Options.SessionSweepInterval, Options.SessionSweepInterval);
        if (Options.SysInterval > TimeSpan.Zero)
        {
            _sysTimer = Time.CreateTimer(_ => _ = PublishSysAsync(), null, Options.SysInterval, Options.SysInterval);
        }
    }

    /// <summary>Runs one network connection to its end. Never throws for network or protocol failures.</summary>
    public Task RunConnectionAsync(IDuplexPipe transport, string connectionId, string? remoteAddress, CancellationToken connectionClosed) =>
        RunConnectionAsync(transport, connectionId, remoteAddress, certificateName: null, connectionClosed);

    /// <param name="certificateName">The verified TLS client certificate's name, passed to authentication; null without one.</param>
    /// <param name="busyReason">Set when the listener is over its connection limit: CONNECT is answered with Server busy and this reason.</param>
    public async Task RunConnectionAsync(IDuplexPipe transport, string connectionId, string? remoteAddress, string? certificateName, CancellationToken connectionClosed, string? busyReason = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        using var connection = new MqttConnection(this, transport, connectionId, remoteAddress) { CertificateName = certificateName, BusyReason = busyReason };
        _connections[connection] = 0;
        try
        {
            using var registration = connectionClosed.Register(static c => ((MqttConnection)c!).Abort("the transport closed"), connection);
            await connection.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            _connections.TryRemove(connection, out _);
        }
    }

    /// <summary>Closes every connection (v5: DISCONNECT 0x8B Server shutting down) and stops the timers; sessions stay persisted.</summary>
    public async ValueTask StopAsync()
    {
        _stopping = true;
        _sweepTimer?.Dispose();
        _sysTimer?.Dispose();
        var closing = _connections.Keys.Select(c =>
        {
            c.RequestClose(Codec.MqttReasonCode.ServerShuttingDown, "the server is shutting down");
            return c.Completion;
        }).ToArray();
        await Task.WhenAny(Task.WhenAll(closing), Task.Delay(Options.CloseTimeout * 2, Time)).ConfigureAwait(false);
        CancelPendingWills();
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    internal void CountConnected() => _counters.Connected();

    internal void CountDisconnected() => _counters.Disconnected();
}
