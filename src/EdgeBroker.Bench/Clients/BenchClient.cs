namespace EdgeBroker.Bench.Clients;

using System.Net;

/// <summary>
/// A protocol client of the tool: connect, subscribe (receivers), publish to one fixed destination
/// (publishers). Publishing is two steps so a publisher can batch: under <see cref="BenchConnection.WriteGate"/>
/// call <see cref="AppendPublish"/> for each message, then <see cref="BenchConnection.FlushLocked"/> once.
/// Thread-safety: one publisher thread plus the client's own read loop.
/// </summary>
public abstract class BenchClient : IDisposable
{
    private Task? _readLoop;

    protected BenchClient(BenchConnection connection) => Connection = connection;

    public BenchConnection Connection { get; }

    public IMessageSink? Sink { get; set; }

    public IAckSink? Acks { get; set; }

    /// <summary>How many unacknowledged publishes the broker accepts (MQTT 5 Receive Maximum), else int.MaxValue.</summary>
    public int BrokerReceiveMaximum { get; protected set; } = int.MaxValue;

    /// <summary>Faulted when the read loop failed (broker closed, protocol error).</summary>
    public Task ReadLoop => _readLoop ?? Task.CompletedTask;

    public static async Task<BenchClient> ConnectAsync(BenchProtocol protocol, ClientSettings settings, string clientId, IPAddress? localAddress, CancellationToken cancellationToken)
    {
        var port = protocol == BenchProtocol.Stomp ? settings.StompPort : settings.MqttPort;
        var connection = await BenchConnection.ConnectAsync(settings.Host, port, localAddress, cancellationToken).ConfigureAwait(false);
        BenchClient client = protocol == BenchProtocol.Stomp
            ? new StompBenchClient(connection, settings)
            : new MqttBenchClient(connection, settings, protocol == BenchProtocol.Mqtt5);
        try
        {
            client._readLoop = Task.Run(() => connection.ReadLoopAsync(client.Parse), cancellationToken);
            await client.HandshakeAsync(clientId, cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Subscribes and waits until the broker confirmed it (SUBACK, or the RECEIPT of the SUBSCRIBE).</summary>
    public abstract Task SubscribeAsync(string destination, int qos, StompAckMode ackMode, int prefetch, CancellationToken cancellationToken);

    /// <summary>Fixes the destination and QoS/persistence of <see cref="AppendPublish"/>.</summary>
    public abstract void SetPublishTarget(string destination, int qos, bool withReceipts, bool persistent, int payloadLength);

    /// <summary>
    /// Appends one publish to the write buffer and returns its payload span for the caller to fill right away.
    /// <paramref name="token"/> is what <see cref="IAckSink.OnAck"/> will report (packet id / receipt), -1 if none.
    /// Caller holds <see cref="BenchConnection.WriteGate"/>.
    /// </summary>
    public abstract Span<byte> AppendPublish(out long token);

    public virtual void Dispose()
    {
        if (!Connection.IsDisposed)
        {
            try
            {
                var goodbye = Goodbye();
                if (goodbye.Length > 0)
                {
                    Connection.Send(goodbye);
                }
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException)
            {
                // Already gone.
            }
        }

        Connection.Dispose();
        GC.SuppressFinalize(this);
    }

    protected abstract Task HandshakeAsync(string clientId, CancellationToken cancellationToken);

    /// <summary>Parses whole frames from <paramref name="buffer"/>; returns bytes consumed. Runs on the read loop.</summary>
    protected abstract int Parse(ReadOnlyMemory<byte> buffer);

    protected abstract byte[] Goodbye();

    protected async Task WaitAsync(Task signal, string what, CancellationToken cancellationToken)
    {
        var timeout = Task.Delay(TimeSpan.FromSeconds(30), cancellationToken);
        var first = await Task.WhenAny(signal, timeout, ReadLoop).ConfigureAwait(false);
        if (first == timeout)
        {
            throw new TimeoutException($"No {what} from the broker within 30 s.");
        }

        if (first == ReadLoop && !signal.IsCompleted)
        {
            await ReadLoop.ConfigureAwait(false);
            throw new IOException($"The broker closed the connection before its {what}.");
        }

        await signal.ConfigureAwait(false);
    }
}
