namespace EdgeBroker.Server.Hosting;

using EdgeBroker.Core.Security;
using EdgeBroker.Storage;

/// <summary>What a <see cref="IBrokerRuntimeFactory"/> needs to open the broker: a prepared data directory, log options and the auth hook.</summary>
public sealed record BrokerRuntimeContext(string DataDirectory, LogOptions LogOptions, TimeProvider Time)
{
    public IBrokerAuthorizer Authorizer { get; init; } = AllowAllAuthorizer.Instance;

    /// <summary>The host's resource alarms, handed to the broker so its monitors and the adapters share one set.</summary>
    public Core.Broker.ResourceAlarms Alarms { get; init; } = new();
}
