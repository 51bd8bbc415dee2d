namespace EdgeBroker.Mqtt.Tests.Server;

using System.Buffers;
using System.IO.Pipelines;
using EdgeBroker.Mqtt.Codec;
using EdgeBroker.Mqtt.Server;

/// <summary>
/// A raw MQTT client over in-memory pipes connected straight to <see cref="MqttServer.RunConnectionAsync"/>:
/// it sends any packet (or raw bytes) and reads the server's packets with the codec. Not thread-safe.
/// </summary>
public sealed class TestClient : IAsyncDisposable
{
    private static int s_nextId;
    private readonly Pipe _toServer = new(new PipeOptions(useSynchronizationContext: false));
    private readonly Pipe _toClient = new(new PipeOptions(useSynchronizationContext: false));
    private readonly CancellationTokenSource _closed = new();
    private readonly System.Threading.Channels.Channel<MqttPacket> _received = System.Threading.Channels.Channel.CreateUnbounded<MqttPacket>();

    private TestClient(MqttProtocolVersion version) => Version = version;

    public MqttProtocolVersion Version { get; }

    public MqttConnAckPacket? ConnAck { get; set; }

    /// <summary>Completes when the server finished with this connection.</summary>
    public Task ServerTask { get; private set; } = Task.CompletedTask;

    public static TestClient Open(MqttServer server, MqttProtocolVersion version)
    {
        var client = new TestClient(version);
        var serverSide = new DuplexPipe(client._toServer.Reader, client._toClient.Writer);
        var id = "test-" + Interlocked.Increment(ref s_nextId);
        client.ServerTask = Task.Run(() => server.RunConnectionAsync(serverSide, id, "127.0.0.1:" + id.Length, client._closed.Token));
        _ = Task.Run(client.PumpAsync);
        return client;
    }

    public async Task SendAsync(MqttPacket packet)
    {
        MqttPacketWriter.Write(_toServer.Writer, packet, Version);
        await _toServer.Writer.FlushAsync();
    }

    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes)
    {
        await _toServer.Writer.WriteAsync(bytes);
    }

    /// <summary>The next packet from the server, or a failure after the timeout.</summary>
    public async Task<MqttPacket> ReceiveAsync(int timeoutMs = 5000)
    {
        var packet = await TryReceiveAsync(timeoutMs);
        Assert.True(packet is not null, "expected a packet from the server, got none (or the connection closed)");
        return packet!;
    }

    public async Task<T> ReceiveAsync<T>(int timeoutMs = 5000)
        where T : MqttPacket
    {
        var packet = await ReceiveAsync(timeoutMs);
        return Assert.IsType<T>(packet);
    }

    /// <summary>Null when nothing arrives within the time or the server closed the connection.</summary>
    public async Task<MqttPacket?> TryReceiveAsync(int timeoutMs)
    {
        using var timeout = new CancellationTokenSource(timeoutMs);
        try
        {
            return await _received.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>True once the server completed its side of the connection and every packet was read.</summary>
    public bool IsClosedByServer => _received.Reader.Completion.IsCompleted;

    private async Task PumpAsync()
    {
        var reader = _toClient.Reader;
        var limits = new MqttCodecLimits(MqttCodecLimits.ProtocolMaximumPacketSize);
        var version = Version == MqttProtocolVersion.Unknown ? MqttProtocolVersion.V311 : Version;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                while (MqttPacketReader.TryRead(ref buffer, version, limits, out var packet, out _))
                {
                    if (packet is MqttPublishPacket publish)
                    {
                        // The payload is a slice of the pipe buffer: make it independent.
                        packet = new MqttPublishPacket
                        {
                            Topic = publish.Topic,
                            Qos = publish.Qos,
                            Dup = publish.Dup,
                            Retain = publish.Retain,
                            PacketId = publish.PacketId,
                            Payload = new ReadOnlySequence<byte>(publish.Payload.ToArray()),
                            Properties = publish.Properties,
                        };
                    }

                    _received.Writer.TryWrite(packet);
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (MqttProtocolException)
        {
        }
        finally
        {
            _received.Writer.TryComplete();
        }
    }

    /// <summary>Asserts the server closes the connection (after any packets, which are returned) within the time.</summary>
    public async Task<List<MqttPacket>> ExpectClosedAsync(int timeoutMs = 5000)
    {
        var seen = new List<MqttPacket>();
        var finished = await Task.WhenAny(ServerTask, Task.Delay(timeoutMs));
        Assert.True(finished == ServerTask, "the server did not close the connection in time");
        while (await TryReceiveAsync(200) is { } packet)
        {
            seen.Add(packet);
        }

        return seen;
    }

    /// <summary>Drops the connection without DISCONNECT (network failure).</summary>
    public async Task DropAsync()
    {
        await _toServer.Writer.CompleteAsync();
        await _closed.CancelAsync();
        await ServerTask.WaitAsync(TimeSpan.FromSeconds(5));
    }

    public async Task DisconnectAsync(MqttReasonCode code = MqttReasonCode.Success)
    {
        await SendAsync(new MqttDisconnectPacket { ReasonCode = code });
        await ServerTask.WaitAsync(TimeSpan.FromSeconds(5));
    }

    public async Task<MqttSubAckPacket> SubscribeAsync(string filter, MqttQos qos = MqttQos.AtLeastOnce, ushort packetId = 1, MqttProperties? properties = null, bool noLocal = false, bool retainAsPublished = false, MqttRetainHandling retainHandling = MqttRetainHandling.SendAtSubscribe)
    {
        await SendAsync(new MqttSubscribePacket
        {
            PacketId = packetId,
            Properties = properties,
            Subscriptions = [new MqttSubscription { TopicFilter = filter, Qos = qos, NoLocal = noLocal, RetainAsPublished = retainAsPublished, RetainHandling = retainHandling }],
        });
        var suback = await ReceiveAsync<MqttSubAckPacket>();
        Assert.Equal(packetId, suback.PacketId);
        return suback;
    }

    public Task PublishAsync(string topic, string payload, MqttQos qos = MqttQos.AtMostOnce, ushort packetId = 0, bool retain = false, MqttProperties? properties = null, bool dup = false) =>
        SendAsync(new MqttPublishPacket
        {
            Topic = topic,
            Qos = qos,
            PacketId = packetId,
            Retain = retain,
            Dup = dup,
            Payload = new ReadOnlySequence<byte>(System.Text.Encoding.UTF8.GetBytes(payload)),
            Properties = properties,
        });

    public async ValueTask DisposeAsync()
    {
        await _toServer.Writer.CompleteAsync();
        await _closed.CancelAsync();
        try
        {
            await ServerTask.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
        }

        _closed.Dispose();
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
