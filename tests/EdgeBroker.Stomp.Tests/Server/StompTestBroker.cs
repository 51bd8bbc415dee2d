namespace EdgeBroker.Stomp.Tests.Server;

using EdgeBroker.Core;
using EdgeBroker.Core.Broker;
using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Queues;
using EdgeBroker.Core.Retained;
using EdgeBroker.Core.Security;
using EdgeBroker.Stomp.Server;
using EdgeBroker.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

/// <summary>
/// A real broker (log-backed queues and retained store, fsync never) in a temp directory, and a STOMP handler over
/// it. Clients connect over in-memory pipes. Disposing removes the directory.
/// </summary>
internal sealed class StompTestBroker : IAsyncDisposable
{
    private readonly string _directory;
    private readonly LogQueueStore _queues;
    private readonly LogRetainedStore _retained;
    private readonly Core.Streams.StreamStore _streams;

    public StompTestBroker(StompServerOptions? options = null, IBrokerAuthorizer? authorizer = null, ILoggerFactory? loggerFactory = null)
    {
        _directory = Path.Combine(Path.GetTempPath(), "eb-stomp-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        var log = new LogOptions { Fsync = FsyncPolicy.Never };
        _queues = LogQueueStore.Open(Path.Combine(_directory, "queues"), log, maintenanceInterval: TimeSpan.FromMilliseconds(100));
        _retained = LogRetainedStore.Open(Path.Combine(_directory, "retained"), log);
        _streams = Core.Streams.StreamStore.Open(Path.Combine(_directory, "streams"), log, TimeProvider.System, new Core.Streams.StreamStoreOptions { Groups = new Core.Streams.ConsumerGroupOptions { SessionTimeout = TimeSpan.FromSeconds(2) } });
        Broker = new Broker(new BrokerOptions(), _queues, _retained, authorizer ?? AllowAllAuthorizer.Instance, TimeProvider.System, streams: _streams);
        _streams.AttachTopology(Broker.Topology);
        Options = options ?? new StompServerOptions { ErrorLinger = TimeSpan.FromMilliseconds(50) };
        Handler = new StompConnectionHandler(() => Available ? Broker : null, Options, loggerFactory ?? NullLoggerFactory.Instance, TimeProvider.System);
    }

    public Broker Broker { get; }

    public IBroker Api => Broker;

    /// <summary>The stream store behind <c>/stream/</c> destinations (declare streams here).</summary>
    public Core.Streams.StreamStore Streams => _streams;

    public StompServerOptions Options { get; }

    public StompConnectionHandler Handler { get; }

    /// <summary>False simulates a host that is starting or stopping.</summary>
    public bool Available { get; set; } = true;

    public StompTestClient Connect(string id = "c1") => new(Handler, id);

    /// <summary>A connected 1.2 client (CONNECT then CONNECTED read).</summary>
    public async Task<StompTestClient> ConnectedAsync(string id = "c1", string heartBeat = "0,0")
    {
        var client = Connect(id);
        await client.SendAsync("CONNECT", [("accept-version", "1.2"), ("host", "/"), ("heart-beat", heartBeat)]);
        var connected = await client.ReceiveAsync();
        Assert.Equal(EdgeBroker.Stomp.Codec.StompCommand.Connected, connected.Command);
        return client;
    }

    public ValueTask<Core.Routing.PublishResult> PublishAsync(string topic, string payload, bool retain = false)
    {
        var message = new Message { Topic = topic, Payload = System.Text.Encoding.UTF8.GetBytes(payload), Retain = retain, TimestampMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() };
        return Broker.PublishAsync(message, null);
    }

    public async ValueTask DisposeAsync()
    {
        await _queues.DisposeAsync();
        await _retained.DisposeAsync();
        await _streams.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
