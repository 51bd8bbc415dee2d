namespace EdgeBroker.Server.Limits;

using System.Collections.Concurrent;
using System.Net;
using System.Text;
using EdgeBroker.Core.Limits;
using EdgeBroker.Server.Configuration;
using EdgeBroker.Server.Logging;
using EdgeBroker.Server.Metrics;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

/// <summary>
/// Kestrel connection middleware in front of the MQTT and STOMP TCP/TLS connection handlers (composition only: the
/// protocol code is untouched). Per connection, in order: the per-IP connection rate (token bucket,
/// <c>Limits:ConnectionsPerSecondPerIp</c>), the per-protocol cap (<c>Mqtt:MaxConnections</c>,
/// <c>Stomp:MaxConnections</c>), then the inbound byte rate (<c>Limits:InboundBytesPerSecond</c>, by pausing reads).
/// Over the cap, an MQTT connection has its CONNECT answered with CONNACK Server busy (v5 0x89, 3.1.1 return code
/// 3, as Mosquitto does) and a STOMP connection gets an ERROR frame, then the close. Over the per-IP rate, an MQTT
/// socket is closed at once without reading anything (the cheap answer to a connection flood). Refusals are counted in /metrics and logged at Warning at most every 10 s per reason.
/// Thread-safety: counters are interlocked; the per-IP map is concurrent and swept of idle (full) buckets.
/// </summary>
internal sealed class ConnectionLimiter
{
    private const int SweepThreshold = 10_000;
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);

    private readonly IOptions<EdgeBrokerOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<IPAddress, TokenBucket> _perIp = new();
    private readonly ProtocolCounters _mqtt = new("mqtt");
    private readonly ProtocolCounters _stomp = new("stomp");

    public ConnectionLimiter(IOptions<EdgeBrokerOptions> options, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(loggers);
        _options = options;
        _time = time;
        _logger = loggers.CreateLogger("EdgeBroker.Limits");
    }

    /// <summary>Adds the limiter to a listener (after <c>UseHttps</c>, so a STOMP ERROR is sent encrypted).</summary>
    public static ListenOptions Use(ListenOptions listen, string protocol)
    {
        ArgumentNullException.ThrowIfNull(listen);
        var limiter = listen.ApplicationServices.GetRequiredService<ConnectionLimiter>();
        var counters = protocol == "stomp" ? limiter._stomp : limiter._mqtt;
        listen.Use(next => connection => limiter.RunAsync(counters, connection, next));
        return listen;
    }

    public void WriteMetrics(PrometheusWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Family("edgebroker_listener_connections", "gauge", "Open connections on the MQTT/STOMP TCP and TLS listeners.");
        writer.Sample("edgebroker_listener_connections", _mqtt.Active, ("protocol", "mqtt"));
        writer.Sample("edgebroker_listener_connections", _stomp.Active, ("protocol", "stomp"));
        writer.Family("edgebroker_connections_refused_total", "counter", "Connections refused by a limit (max_connections, rate).");
        foreach (var c in new[] { _mqtt, _stomp })
        {
            writer.Sample("edgebroker_connections_refused_total", Interlocked.Read(ref c.RefusedMax), ("protocol", c.Name), ("reason", "max_connections"));
            writer.Sample("edgebroker_connections_refused_total", Interlocked.Read(ref c.RefusedRate), ("protocol", c.Name), ("reason", "rate"));
        }

        writer.Family("edgebroker_inbound_throttled_total", "counter", "Reads paused because a client exceeded Limits:InboundBytesPerSecond.");
        writer.Family("edgebroker_inbound_throttled_seconds_total", "counter", "Time reads were paused by Limits:InboundBytesPerSecond.");
        foreach (var c in new[] { _mqtt, _stomp })
        {
            writer.Sample("edgebroker_inbound_throttled_total", Interlocked.Read(ref c.Throttled), ("protocol", c.Name));
            writer.Sample("edgebroker_inbound_throttled_seconds_total", Interlocked.Read(ref c.ThrottledTicks) / (double)TimeSpan.TicksPerSecond, ("protocol", c.Name));
        }
    }

    private async Task RunAsync(ProtocolCounters counters, ConnectionContext connection, ConnectionDelegate next)
    {
        var options = _options.Value;
        var limits = options.Limits;
        if (limits.ConnectionsPerSecondPerIp > 0 && connection.RemoteEndPoint is IPEndPoint remote && !TakeConnectionToken(remote.Address, limits))
        {
            Interlocked.Increment(ref counters.RefusedRate);
            await RefuseAsync(counters, connection, "rate", $"too many connections from {remote.Address} (Limits:ConnectionsPerSecondPerIp {limits.ConnectionsPerSecondPerIp})").ConfigureAwait(false);
            return;
        }

        var max = counters.Name == "stomp" ? options.Stomp.MaxConnections : options.Mqtt.MaxConnections;
        var active = Interlocked.Increment(ref counters.Active);
        try
        {
            if (max > 0 && active > max)
            {
                Interlocked.Increment(ref counters.RefusedMax);
                var detail = $"the {counters.Name} listeners are at their limit of {max} connections";
                if (counters.Name != "stomp")
                {
                    LogRefusal(counters, connection, "max_connections", detail);
                    connection.Items[Mqtt.Server.MqttConnectionHandler.BusyItem] = detail;
                    await next(connection).ConfigureAwait(false); // reads CONNECT (bounded by the connect timeout), answers Server busy
                    return;
                }

                await RefuseAsync(counters, connection, "max_connections", detail).ConfigureAwait(false);
                return;
            }

            if (limits.InboundBytesPerSecond > 0)
            {
                var bucket = new TokenBucket(limits.InboundBytesPerSecond, limits.EffectiveInboundBurst, _time);
                var reader = new ThrottledPipeReader(connection.Transport.Input, bucket, _time, wait =>
                {
                    Interlocked.Increment(ref counters.Throttled);
                    Interlocked.Add(ref counters.ThrottledTicks, wait.Ticks);
                });
                connection.Transport = new ThrottledTransport(reader, connection.Transport.Output);
            }

            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref counters.Active);
        }
    }

    private bool TakeConnectionToken(IPAddress address, LimitsSettings limits)
    {
        if (_perIp.Count > SweepThreshold)
        {
            // Forget idle addresses (their bucket refilled): memory stays bounded by the addresses active recently.
            foreach (var entry in _perIp)
            {
                if (entry.Value.IsFull)
                {
                    _perIp.TryRemove(entry);
                }
            }
        }

        var bucket = _perIp.GetOrAdd(address, static (_, state) => new TokenBucket(state.limits.ConnectionsPerSecondPerIp, state.limits.EffectiveConnectionBurst, state.time), (limits, time: _time));
        return bucket.TryTake();
    }

    private void LogRefusal(ProtocolCounters counters, ConnectionContext connection, string reason, string detail)
    {
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref counters.LastLogTimestamp);
        if ((last == 0 || _time.GetElapsedTime(last, now) >= LogInterval) && Interlocked.CompareExchange(ref counters.LastLogTimestamp, now, last) == last)
        {
            BrokerLog.ConnectionRefusedByLimit(_logger, counters.Name, connection.RemoteEndPoint?.ToString(), reason, detail);
        }
    }

    private async Task RefuseAsync(ProtocolCounters counters, ConnectionContext connection, string reason, string detail)
    {
        LogRefusal(counters, connection, reason, detail);
        if (counters.Name != "stomp")
        {
            return; // MQTT over the rate: closed before CONNECT; the client sees the connection end (v3 and v5 alike).
        }

        // STOMP: an ERROR frame (allowed before CONNECTED), then a short linger draining input so the close does not
        // turn into a reset that discards the frame.
        var frame = Encoding.UTF8.GetBytes($"ERROR\ncontent-type:text/plain\nmessage:server busy\n\n{detail}\0");
        try
        {
            await connection.Transport.Output.WriteAsync(frame).ConfigureAwait(false);
            using var linger = new CancellationTokenSource(TimeSpan.FromSeconds(1), _time);
            while (true)
            {
                var result = await connection.Transport.Input.ReadAsync(linger.Token).ConfigureAwait(false);
                connection.Transport.Input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ConnectionResetException or InvalidOperationException)
        {
            // The client went away or the linger ended: nothing more to tell it.
        }
    }

    private sealed class ProtocolCounters(string name)
    {
        public readonly string Name = name;
        public long Active;
        public long RefusedMax;
        public long RefusedRate;
        public long Throttled;
        public long ThrottledTicks;
        public long LastLogTimestamp;
    }

    private sealed class ThrottledTransport(System.IO.Pipelines.PipeReader input, System.IO.Pipelines.PipeWriter output) : System.IO.Pipelines.IDuplexPipe
    {
        public System.IO.Pipelines.PipeReader Input { get; } = input;

        public System.IO.Pipelines.PipeWriter Output { get; } = output;
    }
}
