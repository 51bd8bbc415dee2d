namespace EdgeBroker.Interop.Tests.Mqtt;

/// <summary>One real broker process shared by the tests of a class (starting one takes seconds).</summary>
public sealed class MqttBrokerFixture : IAsyncLifetime
{
    public BrokerProcess Broker { get; } = new(["--EdgeBroker:Mqtt:SysIntervalSeconds=0"]);

    public Task InitializeAsync() => Broker.StartAsync();

    public async Task DisposeAsync() => await Broker.DisposeAsync();
}
