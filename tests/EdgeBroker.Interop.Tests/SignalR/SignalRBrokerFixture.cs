namespace EdgeBroker.Interop.Tests.SignalR;

/// <summary>One real broker process for the hub interop tests, with a stream <c>tele</c> capturing <c>sensors/#</c>.</summary>
public sealed class SignalRBrokerFixture : IAsyncLifetime
{
    public BrokerProcess Broker { get; } = new(["--EdgeBroker:Mqtt:SysIntervalSeconds=0", "--EdgeBroker:Streams:tele:Filters:0=sensors/#"]);

    public Task InitializeAsync() => Broker.StartAsync();

    public async Task DisposeAsync() => await Broker.DisposeAsync();
}
