namespace EdgeBroker.Server.Hub;

using EdgeBroker.Core.Clients;
using EdgeBroker.Server.Hosting;
using Microsoft.AspNetCore.SignalR;

/// <summary>
/// Wires the SignalR hub into the host (composition only): SignalR with the JSON hub protocol (camelCase), the
/// hub's singletons, the authentication gate and <c>/hubs/broker</c> with every transport (WebSockets,
/// Server-Sent Events, long polling; WebSockets also without negotiation).
/// </summary>
internal static class HubEndpoints
{
    public const string Path = "/hubs/broker";
    private const string WebSocketsMarker = "EdgeBroker.WebSocketsEnabled";

    /// <summary>Largest hub message a client may send (one invocation, JSON), bytes.</summary>
    public const long MaximumReceiveMessageSize = 1024 * 1024;

    public static void AddServices(IServiceCollection services)
    {
        services.AddSignalR(options =>
        {
            // Hub errors are meant for the browser ("not authorized: …"); nothing else leaks.
            options.EnableDetailedErrors = false;

            // SignalR's default (32 KiB) would close the connection on a larger publish; allow payloads of the
            // size MQTT and STOMP clients commonly send (base64 adds a third).
            options.MaximumReceiveMessageSize = MaximumReceiveMessageSize;
            options.AddFilter<HubErrorFilter>();
        });

        // HubErrorFilter logs invocation failures with the right level; the dispatcher's own line would say Error
        // for every refused subscribe.
        services.Configure<LoggerFilterOptions>(o => o.AddFilter("Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher", LogLevel.None));
        services.AddSingleton<HubCounters>();
        services.AddSingleton<StatsSampler>();
        services.AddSingleton<IClientRegistry>(sp =>
        {
            var accessor = sp.GetRequiredService<BrokerAccessor>();
            return new PresenceRegistry(new ClientRegistry(), () => accessor.TryGetBroker(out var broker) ? broker : null, sp.GetRequiredService<TimeProvider>());
        });
    }

    public static void Map(WebApplication app)
    {
        // The STOMP endpoint may already have added the WebSockets middleware; it is added once.
        var properties = ((IApplicationBuilder)app).Properties;
        if (!properties.ContainsKey(WebSocketsMarker))
        {
            properties[WebSocketsMarker] = true;
            app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        }

        HubAuthentication.Use(app, Path);
        app.MapHub<BrokerHub>(Path);
    }
}
