namespace EdgeBroker.Server.Http;

using System.Collections.Frozen;
using System.Net;
using EdgeBroker.Server.Configuration;
using EdgeBroker.Server.Logging;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

/// <summary>
/// Refuses cross-site WebSocket hijacking: a browser page from another site must not open <c>/mqtt</c>,
/// <c>/stomp</c> or the hub with the visitor's network position. Checked for every WebSocket upgrade (HTTP/1.1
/// <c>Upgrade: websocket</c> or HTTP/2 extended CONNECT) and for every request under the WebSocket paths and
/// <c>/hubs</c> (so SignalR's negotiate, SSE and long polling follow the same rule).
/// <list type="bullet">
/// <item>No <c>Origin</c> header: allowed. Browsers always send one on a WebSocket handshake, so its absence means a
/// non-browser client (mosquitto, stomp.py, devices), which the origin rule does not concern.</item>
/// <item>The broker's own origin (the Origin's host:port equals the request's Host): allowed.</item>
/// <item>An entry of <c>EdgeBroker:WebSockets:AllowedOrigins</c> (or the older <c>Stomp:AllowedOrigins</c>), or
/// <c>*</c>: allowed.</item>
/// <item>With no configured entries, a page served from loopback (localhost, 127.0.0.0/8, [::1], any port): allowed,
/// for local development; configuring any entry turns this off.</item>
/// <item>Anything else: 403 with a problem document, logged at Warning.</item>
/// </list>
/// Thread-safety: immutable after construction.
/// </summary>
internal sealed class WebSocketOriginPolicy
{
    private readonly FrozenSet<string> _allowed;
    private readonly bool _allowAll;
    private readonly bool _allowLoopback;
    private readonly string[] _protectedPaths;

    public WebSocketOriginPolicy(EdgeBrokerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configured = options.WebSockets.AllowedOrigins.Concat(options.Stomp.AllowedOrigins).ToList();
        _allowAll = configured.Contains("*");
        _allowLoopback = configured.Count == 0;
        _allowed = configured.Select(WebSocketSettings.NormalizeOrigin).OfType<string>().ToFrozenSet(StringComparer.Ordinal);
        _protectedPaths = new[] { options.Mqtt.WebSocketPath, options.Stomp.WebSocketPath, "/hubs" }
            .Where(p => !string.IsNullOrEmpty(p))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToArray();
    }

    public static void Use(WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<EdgeBrokerOptions>>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("EdgeBroker.Http");
        WebSocketOriginPolicy? policy = null;
        app.Use(async (context, next) =>
        {
            // Built on the first request: options are validated at start, not while the pipeline is assembled.
            policy ??= new WebSocketOriginPolicy(options.Value);
            var origin = context.Request.Headers.Origin.ToString();
            if (origin.Length == 0 || !policy.Applies(context) || policy.IsAllowed(origin, context.Request.Host))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            HttpApiLog.OriginRefused(logger, origin, context.Request.Path, context.Connection.RemoteIpAddress?.ToString());
            await Results.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Origin not allowed",
                detail: "This page's origin may not open the broker's WebSocket endpoints; add it to EdgeBroker:WebSockets:AllowedOrigins.")
                .ExecuteAsync(context).ConfigureAwait(false);
        });
    }

    public bool Applies(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (IsWebSocketUpgrade(context))
        {
            return true;
        }

        foreach (var path in _protectedPaths)
        {
            if (context.Request.Path.StartsWithSegments(path, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    public bool IsAllowed(string origin, HostString host)
    {
        if (_allowAll)
        {
            return true;
        }

        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri))
        {
            return false; // "null" (sandboxed frames, file://) and garbage
        }

        // Same origin: behind a TLS-terminating proxy the schemes differ, the host:port still names this broker.
        if (host.HasValue && string.Equals(uri.Authority, host.Value, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (_allowLoopback && IsLoopbackHost(uri))
        {
            return true;
        }

        return WebSocketSettings.NormalizeOrigin(origin) is { } normalized && _allowed.Contains(normalized);
    }

    private static bool IsLoopbackHost(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var ip) && IPAddress.IsLoopback(ip));

    private static bool IsWebSocketUpgrade(HttpContext context)
    {
        if (context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect)
        {
            return string.Equals(connect.Protocol, "websocket", StringComparison.OrdinalIgnoreCase);
        }

        return context.Request.Headers.Upgrade.ToString().Contains("websocket", StringComparison.OrdinalIgnoreCase);
    }
}
