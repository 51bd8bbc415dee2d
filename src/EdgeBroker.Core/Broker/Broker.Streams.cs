namespace EdgeBroker.Core.Broker;

using EdgeBroker.Core.Streams;

/// <summary>Streams for the adapters: the stream target resolver given at construction, when it is a provider.</summary>
public sealed partial class Broker
{
    public IStreamProvider? Streams => _streams as IStreamProvider;
}
