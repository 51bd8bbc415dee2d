namespace EdgeBroker.Stomp.Server;

using System.IO.Pipelines;
using EdgeBroker.Core;
using EdgeBroker.Core.Security;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

/// <summary>
/// The Kestrel seam (STYLE.md #1): <c>ListenOptions.UseConnectionHandler&lt;StompConnectionHandler&gt;()</c> for TCP/TLS;
/// the WebSocket endpoint calls <see cref="RunAsync"/> with a pipe over the socket. Both run the same
/// <see cref="StompSession"/>. Thread-safe: stateless apart from its shared dependencies.
/// </summary>
public sealed class StompConnectionHandler : ConnectionHandler
{
    private readonly Func<IBroker?> _brokerSource;
    private readonly StompServerOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Core.Clients.IClientRegistry? _clients;

    /// <param name="brokerSource">The running broker, or null while the host starts or stops (the client gets an ERROR).</param>
    /// <param name="clients">Where connected sessions are listed (dashboard, operator disconnect); null = nowhere.</param>
    public StompConnectionHandler(Func<IBroker?> brokerSource, StompServerOptions options, ILoggerFactory loggerFactory, TimeProvider time, Core.Clients.IClientRegistry? clients = null)
    {
        ArgumentNullException.ThrowIfNull(brokerSource);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        _brokerSource = brokerSource;
        _options = options;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("EdgeBroker.Stomp");
        _time = time;
        _clients = clients;
    }

    public StompServerOptions Options => _options;

    public override Task OnConnectedAsync(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var tls = connection.Features.Get<ITlsConnectionFeature>();
        var info = new StompConnectionInfo(connection.ConnectionId, connection.RemoteEndPoint?.ToString(), tls is null ? "tcp" : "tls", CertificateNames.UserName(tls?.ClientCertificate));
        return RunAsync(connection.Transport, info, connection.ConnectionClosed);
    }

    /// <summary>Runs one STOMP connection over <paramref name="transport"/> until it ends.</summary>
    public async Task RunAsync(IDuplexPipe transport, StompConnectionInfo info, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(info);
        using var scope = _logger.BeginScope(new Dictionary<string, object?> { ["ConnectionId"] = info.ConnectionId });
        var session = new StompSession(_brokerSource, _options, _logger, _time, transport, info, _clients);
        await session.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The logger factory the host handed in (for the WebSocket endpoint's own log lines).</summary>
    internal ILoggerFactory LoggerFactory => _loggerFactory;
}
