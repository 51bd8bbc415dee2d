namespace EdgeBroker.Server.Hosting;

using EdgeBroker.Mqtt.Server;
using EdgeBroker.Server.Logging;

/// <summary>
/// Starts the MQTT adapter on the opened broker (restoring persistent sessions from the session store) and stops
/// it when the host begins to stop: connections are closed (v5 DISCONNECT 0x8B) as soon as stopping is signalled,
/// so Kestrel's drain does not wait for long-lived MQTT connections, and before the stores close.
/// Thread-safety: the host calls Start and Stop sequentially.
/// </summary>
internal sealed class MqttHostedService(MqttServer server, BrokerAccessor accessor, IHostApplicationLifetime lifetime, ILogger<MqttHostedService> logger) : IHostedService
{
    private CancellationTokenRegistration _stopping;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var runtime = accessor.Runtime ?? throw new InvalidOperationException("The broker is not open; the MQTT adapter cannot start.");
        server.Start(runtime.Broker, runtime.Sessions);
        _stopping = lifetime.ApplicationStopping.Register(() => _ = server.StopAsync().AsTask());
        MqttHostLog.Started(logger, server.SessionCount);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.DisposeAsync().ConfigureAwait(false);
        await server.StopAsync().ConfigureAwait(false);
    }
}
