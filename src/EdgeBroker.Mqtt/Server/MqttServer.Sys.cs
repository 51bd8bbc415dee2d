namespace EdgeBroker.Mqtt.Server;

using System.Globalization;
using System.Text;
using EdgeBroker.Core.Messages;

/// <summary>
/// <c>$SYS/broker/…</c> statistics, published retained every <see cref="MqttServerOptions.SysInterval"/> like
/// Mosquitto's (uptime, clients connected, messages and bytes received and sent). Published by the broker
/// itself (no client identity), so the reserved-topic rule for clients does not apply.
/// </summary>
public sealed partial class MqttServer
{
    private int _sysRunning;

    /// <summary>Publishes the statistics once (also called by the timer).</summary>
    public async Task PublishSysAsync()
    {
        if (_stopping || _broker is not { } broker || Interlocked.Exchange(ref _sysRunning, 1) == 1)
        {
            return;
        }

        try
        {
            var counters = broker.Counters;
            var uptime = (long)(Time.GetUtcNow() - StartedAt).TotalSeconds;
            (string Topic, string Value)[] values =
            [
                ("$SYS/broker/uptime", uptime.ToString(CultureInfo.InvariantCulture) + " seconds"),
                ("$SYS/broker/clients/connected", ConnectedClients.ToString(CultureInfo.InvariantCulture)),
                ("$SYS/broker/clients/total", SessionCount.ToString(CultureInfo.InvariantCulture)),
                ("$SYS/broker/messages/received", counters.MessagesIn.ToString(CultureInfo.InvariantCulture)),
                ("$SYS/broker/messages/sent", counters.MessagesOut.ToString(CultureInfo.InvariantCulture)),
                ("$SYS/broker/bytes/received", counters.BytesIn.ToString(CultureInfo.InvariantCulture)),
                ("$SYS/broker/bytes/sent", counters.BytesOut.ToString(CultureInfo.InvariantCulture)),
            ];
            var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (var (topic, value) in values)
            {
                var message = new Message
                {
                    Topic = topic,
                    Payload = Encoding.UTF8.GetBytes(value),
                    PayloadFormat = PayloadFormat.Utf8,
                    TimestampMs = now,
                    Retain = true,
                };
                await broker.PublishAsync(message, publisher: null).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException)
        {
            // Statistics are best effort; the next tick tries again.
        }
        finally
        {
            Volatile.Write(ref _sysRunning, 0);
        }
    }
}
