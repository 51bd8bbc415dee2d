namespace EdgeBroker.Server.Metrics;

using EdgeBroker.Core.Clients;
using EdgeBroker.Core.Messages;
using EdgeBroker.Server.Hub;

/// <summary>Connected clients per protocol (from the client registry) and the SignalR hub's counters, for /metrics.</summary>
internal static class ClientMetrics
{
    public static string Render(IClientRegistry clients, HubCounters hub)
    {
        var writer = new PrometheusWriter();
        writer.Family("edgebroker_connections", "gauge", "Connected clients per protocol (after authentication).");
        foreach (var protocol in (ReadOnlySpan<ProtocolKind>)[ProtocolKind.Mqtt, ProtocolKind.Stomp, ProtocolKind.SignalR])
        {
            writer.Sample("edgebroker_connections", clients.Count(protocol), ("protocol", HubEvents.ProtocolName(protocol)));
        }

        writer.Single("edgebroker_signalr_connections_total", "counter", "SignalR hub connections accepted since start.", hub.TotalConnections);
        writer.Single("edgebroker_signalr_dropped_total", "counter", "Live messages dropped because a SignalR connection's outbound channel was full.", hub.Dropped);
        return writer.ToString();
    }
}
