namespace EdgeBroker.Interop.Tests.Dashboard;

/// <summary>
/// One real broker process shared by the dashboard browser tests, with a stream capturing <c>dash/history/#</c>
/// for the history chart. Each test uses its own topics.
/// </summary>
public sealed class DashboardBrokerFixture : IAsyncLifetime
{
    public const string HistoryStream = "dashhistory";

    public BrokerProcess Broker { get; } = new([
        "--fsync", "never",
        $"--EdgeBroker:Streams:{HistoryStream}:Partitions=2",
        $"--EdgeBroker:Streams:{HistoryStream}:Filters:0=dash/history/#",
    ]);

    public string MqttPort => Broker.MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public string StompPort => Broker.StompPort.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public Task InitializeAsync() => Broker.StartAsync();

    public async Task DisposeAsync() => await Broker.DisposeAsync();
}
