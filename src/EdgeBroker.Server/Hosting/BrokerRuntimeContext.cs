namespace EdgeBroker.Server.Hosting;

using EdgeBroker.Storage;

/// <summary>What a <see cref="IBrokerRuntimeFactory"/> needs to open the broker: a prepared data directory and log options.</summary>
public sealed record BrokerRuntimeContext(string DataDirectory, LogOptions LogOptions, TimeProvider Time);
