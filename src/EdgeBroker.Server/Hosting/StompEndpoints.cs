namespace EdgeBroker.Server.Hosting;

using System.Net;
using System.Net.WebSockets;
using EdgeBroker.Core.Security;
using EdgeBroker.Server.Configuration;
using EdgeBroker.Stomp.Server;
using EdgeBroker.Stomp.Transport;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

/// <summary>
/// Wires the STOMP adapter into the host (composition only): the <see cref="StompConnectionHandler"/> singleton,
/// the TCP listener (<c>EdgeBroker:Stomp:Port</c>, default 61613, 0 = off) and the WebSocket endpoint
/// (<c>/stomp</c>, subprotocols <c>v12.stomp</c>, <c>v11.stomp</c>, <c>v10.stomp</c>) feeding the same handler.
/// </summary>
internal static class StompEndpoints
{
    private static readonly string[] SubProtocols = ["v12.stomp", "v11.stomp", "v10.stomp"];
    private const string WebSocketsMarker = "EdgeBroker.WebSocketsEnabled";

    public static void AddServices(IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var accessor = sp.GetRequiredService<BrokerAccessor>();
            var settings = sp.GetRequiredService<IOptions<EdgeBrokerOptions>>().Value.Stomp;
            return new StompConnectionHandler(
                () => accessor.TryGetBroker(out var broker) ? broker : null,
                settings.ToServerOptions() with { Publishing = sp.GetRequiredService<Core.Limits.PublishLimits>() },
                sp.GetRequiredService<ILoggerFactory>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<Core.Clients.IClientRegistry>());
        });
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<EdgeBrokerOptions>>((kestrel, options) => Listen(kestrel, options.Value.Stomp));
    }

    public static void Map(WebApplication app)
    {
        // Read the raw section: resolving IOptions here would validate the whole configuration while building,
        // before the host's start-up reports every invalid key at once (exit code 2).
        var settings = app.Configuration.GetSection(EdgeBrokerOptions.SectionName).GetSection("Stomp").Get<StompSettings>() ?? new StompSettings();
        if (!settings.WebSocket)
        {
            return;
        }

        // Other adapters may serve WebSockets too; the middleware is added once.
        var properties = ((IApplicationBuilder)app).Properties;
        if (!properties.ContainsKey(WebSocketsMarker))
        {
            properties[WebSocketsMarker] = true;
            app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        }

        app.Map(settings.WebSocketPath, (HttpContext context) => AcceptAsync(context, settings));
    }

    private static void Listen(KestrelServerOptions kestrel, StompSettings stomp)
    {
        if (stomp.Port == 0)
        {
            return;
        }

        if (string.Equals(stomp.BindAddress, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(stomp.Port, listen => Limits.ConnectionLimiter.Use(listen, "stomp").UseConnectionHandler<StompConnectionHandler>());
        }
        else if (IPAddress.TryParse(stomp.BindAddress, out var address))
        {
            kestrel.Listen(address, stomp.Port, listen => Limits.ConnectionLimiter.Use(listen, "stomp").UseConnectionHandler<StompConnectionHandler>());
        }
    }

    private static async Task AcceptAsync(HttpContext context, StompSettings settings)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        // The Origin allow-list is enforced before this point for every WebSocket path (WebSocketOriginPolicy).
        // RELIABILITY.md "WebSocket": a subprotocol is required; the best one the client offers wins.
        var requested = context.WebSockets.WebSocketRequestedProtocols;
        var protocol = SubProtocols.FirstOrDefault(p => requested.Contains(p, StringComparer.OrdinalIgnoreCase));
        if (protocol is null)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var handler = context.RequestServices.GetRequiredService<StompConnectionHandler>();
        using var socket = await context.WebSockets.AcceptWebSocketAsync(protocol).ConfigureAwait(false);
        var pipe = new WebSocketDuplexPipe(socket, WebSocketMessageType.Binary);
        var pumping = pipe.RunAsync(context.RequestAborted);
        var info = new StompConnectionInfo(
            context.Connection.Id,
            context.Connection.RemoteIpAddress + ":" + context.Connection.RemotePort,
            context.Request.IsHttps ? "websocket-tls" : "websocket",
            CertificateNames.UserName(context.Connection.ClientCertificate));
        await handler.RunAsync(pipe, info, context.RequestAborted).ConfigureAwait(false);
        await pumping.ConfigureAwait(false);
    }
}
