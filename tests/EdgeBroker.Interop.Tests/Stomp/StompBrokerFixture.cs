namespace EdgeBroker.Interop.Tests.Stomp;

/// <summary>One real broker process shared by the STOMP interop tests of a class (each test uses its own destinations).</summary>
public sealed class StompBrokerFixture : IAsyncLifetime
{
    public BrokerProcess Broker { get; } = new(["--fsync", "never"]);

    public string Host => "127.0.0.1";

    public string Port => Broker.StompPort.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public Uri WebSocketUri => new($"ws://127.0.0.1:{Broker.HttpPort}/stomp");

    public Task InitializeAsync() => Broker.StartAsync();

    public async Task DisposeAsync() => await Broker.DisposeAsync();
}
