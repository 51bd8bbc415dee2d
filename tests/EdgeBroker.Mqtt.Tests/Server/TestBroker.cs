namespace EdgeBroker.Mqtt.Tests.Server;

using EdgeBroker.Core.Broker;
using EdgeBroker.Core.Queues;
using EdgeBroker.Core.Retained;
using EdgeBroker.Core.Security;
using EdgeBroker.Core.Sessions;
using EdgeBroker.Mqtt.Codec;
using EdgeBroker.Mqtt.Server;
using EdgeBroker.Storage;

/// <summary>
/// A real routing core on real log stores in a temp directory, with an <see cref="MqttServer"/> on top, driven
/// over in-memory pipes (no sockets, no Kestrel). <see cref="RestartAsync"/> closes everything and reopens the
/// same directory, like a broker restart.
/// </summary>
public sealed class TestBroker : IAsyncDisposable
{
    private readonly string _directory;
    private readonly Func<MqttServerOptions, MqttServerOptions> _configure;
    private LogQueueStore _queues = null!;
    private LogRetainedStore _retained = null!;
    private LogSessionStore _sessions = null!;
    private Core.Streams.StreamStore _streams = null!;
    // Kept across RestartAsync: stands in for the host's durable topology store.
    private readonly Core.Routing.InMemoryTopologyStore _topology = new();

    private TestBroker(string directory, Func<MqttServerOptions, MqttServerOptions>? configure)
    {
        _directory = directory;
        _configure = configure ?? (o => o);
    }

    public Broker Broker { get; private set; } = null!;

    public MqttServer Server { get; private set; } = null!;

    /// <summary>The stream store behind <c>$stream/</c> subscriptions (declare streams here).</summary>
    public Core.Streams.StreamStore Streams => _streams;

    private static LogOptions LogOptions => new() { Fsync = FsyncPolicy.Never, SegmentBytes = 4 << 20, MaxRecordBytes = 2 << 20 };

    public static TestBroker Start(Func<MqttServerOptions, MqttServerOptions>? configure = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "edgebroker-mqtt-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var broker = new TestBroker(directory, configure);
        broker.Open();
        return broker;
    }

    public async Task<TestClient> ConnectAsync(string clientId, MqttProtocolVersion version = MqttProtocolVersion.V311, bool clean = true, MqttProperties? properties = null, MqttWillMessage? will = null, ushort keepAlive = 60)
    {
        var client = TestClient.Open(Server, version);
        await client.SendAsync(new MqttConnectPacket
        {
            ProtocolVersion = version,
            ClientId = clientId,
            CleanSession = clean,
            KeepAliveSeconds = keepAlive,
            Properties = properties,
            Will = will,
        });
        var connack = await client.ReceiveAsync<MqttConnAckPacket>();
        Assert.Equal(MqttReasonCode.Success, connack.ReasonCode);
        client.ConnAck = connack;
        return client;
    }

    public TestClient Open(MqttProtocolVersion version = MqttProtocolVersion.V311) => TestClient.Open(Server, version);

    public async Task RestartAsync()
    {
        await CloseAsync();
        Open();
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Open()
    {
        _queues = LogQueueStore.Open(Path.Combine(_directory, "queues"), LogOptions);
        _retained = LogRetainedStore.Open(Path.Combine(_directory, "retained"), LogOptions);
        _sessions = LogSessionStore.Open(Path.Combine(_directory, "sessions"), LogOptions);
        _streams = Core.Streams.StreamStore.Open(Path.Combine(_directory, "streams"), LogOptions, TimeProvider.System);
        Broker = new Broker(new BrokerOptions(), _queues, _retained, AllowAllAuthorizer.Instance, TimeProvider.System, _topology, _streams);
        _streams.AttachTopology(Broker.Topology);
        var options = _configure(new MqttServerOptions { SysInterval = TimeSpan.Zero, CloseTimeout = TimeSpan.FromSeconds(1) });
        Server = new MqttServer(options);
        Server.Start(Broker, _sessions);
    }

    private async Task CloseAsync()
    {
        await Server.StopAsync();
        await _queues.DisposeAsync();
        await _retained.DisposeAsync();
        await _sessions.DisposeAsync();
        await _streams.DisposeAsync();
    }
}
