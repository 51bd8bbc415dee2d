namespace EdgeBroker.Mqtt.Server;

using EdgeBroker.Mqtt.Codec;

/// <summary>
/// The single writer (STYLE.md example 6): drains everything queued into the pipe and flushes once per batch
/// (or every 64 KiB). It owns the outbound topic aliases and enforces the client's Maximum Packet Size
/// ([MQTT-3.1.2-24]: a packet larger than the client allows is not sent) and message expiry.
/// </summary>
internal sealed partial class MqttConnection
{
    private const int FlushThreshold = 64 * 1024;

    private readonly Dictionary<string, ushort> _outboundAliases = new(StringComparer.Ordinal);
    private ushort _lastOutboundAlias;

    private async Task WriteLoopAsync()
    {
        var output = _transport.Output;
        var reader = _outbound.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                var unflushed = 0;
                var stop = false;
                while (!stop && reader.TryRead(out var item))
                {
                    unflushed += WriteItem(output, item);
                    stop = item.CloseAfter;
                    if (unflushed >= FlushThreshold)
                    {
                        var partial = await output.FlushAsync().ConfigureAwait(false);
                        unflushed = 0;
                        if (partial.IsCompleted || partial.IsCanceled)
                        {
                            stop = true;
                        }
                    }
                }

                var flushed = await output.FlushAsync().ConfigureAwait(false);
                if (stop || flushed.IsCompleted || flushed.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
        {
            _closeReason ??= "write failed: " + ex.Message;
        }
        finally
        {
            // Whatever ended the writer ends the connection.
            CancelRead();
        }
    }

    /// <summary>Encodes one item into the pipe; returns the bytes written (0 when it was dropped).</summary>
    private int WriteItem(System.IO.Pipelines.PipeWriter output, OutboundItem item)
    {
        if (item.Packet is { } packet)
        {
            return MqttPacketWriter.Write(output, packet, _version);
        }

        if (item.IsLive)
        {
            Interlocked.Decrement(ref _queuedLive);
        }

        var message = item.Message!;
        uint? remaining = null;
        if (message.ExpiryInterval is { } expiry)
        {
            var left = (long)expiry.TotalMilliseconds - (_server.Time.GetUtcNow().ToUnixTimeMilliseconds() - message.TimestampMs);
            if (left <= 0)
            {
                // [MQTT-3.3.2-5] an expired message is not delivered.
                DropInflight(item);
                return 0;
            }

            remaining = (uint)Math.Max(1, (left + 999) / 1000);
        }

        var topic = message.Topic;
        ushort alias = 0;
        if (_clientTopicAliasMaximum > 0)
        {
            if (_outboundAliases.TryGetValue(topic, out alias))
            {
                topic = string.Empty;
            }
            else if (_lastOutboundAlias < _clientTopicAliasMaximum)
            {
                // Aliases are handed out once each and never remapped: the simplest scheme that is always correct.
                alias = ++_lastOutboundAlias;
                _outboundAliases[topic] = alias;
            }
        }

        var publish = MqttMessageMapper.ToPublishPacket(item, _version, topic, alias, remaining);
        var size = MqttPacketWriter.GetEncodedSize(publish, _version);
        if ((uint)size > _clientMaximumPacketSize)
        {
            // [MQTT-3.1.2-24] never send more than the client allows; the message is discarded for this client.
            _server.Counters.DroppedOversize();
            MqttLog.OversizeDropped(_server.Logger, ClientId ?? "?", size, _clientMaximumPacketSize);
            if (alias != 0 && topic.Length != 0)
            {
                _outboundAliases.Remove(message.Topic);
            }

            DropInflight(item);
            return 0;
        }

        var written = MqttPacketWriter.Write(output, publish, _version);
        if (item.Qos == MqttQos.AtMostOnce)
        {
            Release(item);
        }

        return written;
    }
}
