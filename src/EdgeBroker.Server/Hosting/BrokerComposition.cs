namespace EdgeBroker.Server.Hosting;

/// <summary>
/// The one place that names concrete storage and routing types: opens the queue store and the retained
/// store on the log engine under the data directory and builds the routing core over them.
/// Everything else in the host only sees <see cref="Core.IBroker"/> and <see cref="BrokerRuntime"/>.
/// </summary>
internal sealed class BrokerComposition : IBrokerRuntimeFactory
{
    public ValueTask<BrokerRuntime> OpenAsync(BrokerRuntimeContext context, CancellationToken cancellationToken) =>
        throw new BrokerStartupException("The storage engine and routing core are not wired into this build yet (BrokerComposition).");
}
