namespace EdgeBroker.Server.Hub;

using EdgeBroker.Core.Clients;
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

    public static void AddServices(IServiceCollection services)
    {
        services.AddSignalR(options =>
        {
            // Hub errors are meant for the browser ("not authorized: …"); nothing else leaks.
            options.EnableDetailedErrors = false;
            options.AddFilter<HubErrorFilter>();
        });

        // HubErrorFilter logs invocation failures with the right level; the dispatcher's own line would say Error
        // for every refused subscribe.
        services.Configure<LoggerFilterOptions>(o => o.AddFilter("Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher", LogLevel.None));
        services.AddSingleton<HubCounters>();
        services.AddSingleton<StatsSampler>();
        services.AddSingleton<IClientRegistry, ClientRegistry>();
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
