namespace EdgeBroker.Server.Hosting;

/// <summary>
/// Opens the storage and the broker over it. The production implementation is <see cref="BrokerComposition"/>;
/// tests substitute an in-memory one. Called once per host start.
/// </summary>
public interface IBrokerRuntimeFactory
{
    ValueTask<BrokerRuntime> OpenAsync(BrokerRuntimeContext context, CancellationToken cancellationToken);
}
