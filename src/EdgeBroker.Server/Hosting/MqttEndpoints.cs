namespace EdgeBroker.Server.Hosting;

using System.Net;
using EdgeBroker.Mqtt.Server;
using EdgeBroker.Server.Configuration;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

/// <summary>
/// Plugs the MQTT adapter into the host the way MQTTnet.AspNetCore does (STYLE.md example 1): a Kestrel TCP
/// listener with <c>UseConnectionHandler&lt;MqttConnectionHandler&gt;()</c> on <c>EdgeBroker:Mqtt:Port</c>, and
/// <c>MapConnectionHandler</c> at <c>/mqtt</c> on the HTTP port for MQTT over WebSocket (subprotocol <c>mqtt</c>,
/// WebSocket transport only). Both feed the same <see cref="MqttServer"/> through an <c>IDuplexPipe</c>.
/// </summary>
internal static class MqttEndpoints
{
    private static readonly string[] SubProtocols = ["mqtt", "mqttv3.1"];

    public static void AddServices(WebApplicationBuilder builder)
    {
        builder.Services.AddConnections();
        builder.Services.AddSingleton(sp => new MqttServer(
            ServerOptions(sp.GetRequiredService<IConfiguration>()) with { Publishing = sp.GetRequiredService<Core.Limits.PublishLimits>() },
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<TimeProvider>())
        {
            Clients = sp.GetRequiredService<Core.Clients.IClientRegistry>(),
        });

        // Registered after BrokerHostedService: starts once the broker is open, stops before the stores close.
        builder.Services.AddHostedService<MqttHostedService>();
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<EdgeBrokerOptions>>((kestrel, options) => Listen(kestrel, options.Value.Mqtt));
    }

    public static void Map(WebApplication app)
    {
        // Read raw, not through the validated options: nothing reads configuration eagerly before start, so an
        // invalid setting is still reported by validation at start rather than while mapping endpoints.
        var path = app.Configuration.GetSection(EdgeBrokerOptions.SectionName + ":Mqtt").GetValue("WebSocketPath", new MqttSettings().WebSocketPath);
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        app.MapConnectionHandler<MqttConnectionHandler>(path, options =>
        {
            options.Transports = HttpTransportType.WebSockets;
            options.WebSockets.SubProtocolSelector = requested => SubProtocols.FirstOrDefault(p => requested.Contains(p, StringComparer.OrdinalIgnoreCase)) ?? string.Empty;
        });
    }

    /// <summary>
    /// MapConnectionHandler creates the handler (and so the server) while the app is built, before options are
    /// validated at start: read the section raw and fall back to defaults when it is invalid, because
    /// <see cref="EdgeBrokerOptionsValidator"/> then stops the start with the reason anyway.
    /// </summary>
    private static MqttServerOptions ServerOptions(IConfiguration configuration)
    {
        try
        {
            var settings = configuration.GetSection(EdgeBrokerOptions.SectionName + ":Mqtt").Get<MqttSettings>() ?? new MqttSettings();
            var options = settings.ToServerOptions();
            options.Validate();
            return options;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or OverflowException)
        {
            return new MqttServerOptions();
        }
    }

    private static void Listen(KestrelServerOptions kestrel, MqttSettings mqtt)
    {
        if (mqtt.Port == 0)
        {
            return;
        }

        if (string.Equals(mqtt.BindAddress, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(mqtt.Port, listen => Limits.ConnectionLimiter.Use(listen, "mqtt").UseConnectionHandler<MqttConnectionHandler>());
        }
        else if (IPAddress.TryParse(mqtt.BindAddress, out var address))
        {
            kestrel.Listen(address, mqtt.Port, listen => Limits.ConnectionLimiter.Use(listen, "mqtt").UseConnectionHandler<MqttConnectionHandler>());
        }
    }
}
