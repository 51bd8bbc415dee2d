namespace EdgeBroker.Mqtt.Server;

using EdgeBroker.Mqtt.Codec;

/// <summary>
/// The state of one MQTT session that outlives a network connection when the session is persistent
/// (3.x clean session 0, v5 Session Expiry Interval &gt; 0): subscriptions, QoS 2 packet ids received and not
/// yet released, expiry. Undelivered and in-flight messages live in the session's core queue
/// (<see cref="QueueName"/>): unacknowledged deliveries go back to it, marked redelivered, when the connection ends.
/// A non-persistent session has no queue and lives as long as its connection.
/// Thread-safety: mutated by the owning connection's read loop under <c>_lock</c>; delivery threads read the
/// immutable <see cref="MatchList"/> snapshot without locking.
/// </summary>
public sealed class MqttSessionState
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, MqttSessionSubscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly HashSet<ushort> _receivedQos2 = [];
    private volatile MqttSessionSubscription[] _matchList = [];

    public MqttSessionState(string clientId, MqttProtocolVersion version, uint expirySeconds, string? queueName)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        ClientId = clientId;
        Version = version;
        ExpirySeconds = expirySeconds;
        QueueName = queueName;
    }

    public string ClientId { get; }

    public MqttProtocolVersion Version { get; set; }

    /// <summary>Session Expiry Interval in seconds; <see cref="uint.MaxValue"/> never expires (3.x clean session 0).</summary>
    public uint ExpirySeconds { get; set; }

    /// <summary>The core queue holding this persistent session's messages; null for a non-persistent session.</summary>
    public string? QueueName { get; }

    public bool IsPersistent => QueueName is not null;

    /// <summary>When the last connection ended (Unix ms); 0 while connected.</summary>
    public long DisconnectedAtMs { get; set; }

    /// <summary>The non-shared subscriptions, for matching queue deliveries against the options (immutable snapshot).</summary>
    public IReadOnlyList<MqttSessionSubscription> MatchList => _matchList;

    public int SubscriptionCount
    {
        get
        {
            lock (_lock)
            {
                return _subscriptions.Count;
            }
        }
    }

    public IReadOnlyList<MqttSessionSubscription> Subscriptions
    {
        get
        {
            lock (_lock)
            {
                return [.. _subscriptions.Values];
            }
        }
    }

    /// <summary>True when the session has expired at <paramref name="nowMs"/> (only while disconnected).</summary>
    public bool IsExpiredAt(long nowMs) =>
        DisconnectedAtMs > 0 && ExpirySeconds != uint.MaxValue && nowMs - DisconnectedAtMs >= ExpirySeconds * 1000L;

    public bool TryGetSubscription(string filter, out MqttSessionSubscription? subscription)
    {
        lock (_lock)
        {
            return _subscriptions.TryGetValue(filter, out subscription);
        }
    }

    /// <summary>Adds or replaces ([MQTT-3.8.4-3]) the subscription for its filter.</summary>
    public void SetSubscription(MqttSessionSubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        lock (_lock)
        {
            _subscriptions[subscription.Filter] = subscription;
            RebuildMatchList();
        }
    }

    public bool RemoveSubscription(string filter)
    {
        lock (_lock)
        {
            var removed = _subscriptions.Remove(filter);
            RebuildMatchList();
            return removed;
        }
    }

    public bool HasReceivedQos2(ushort packetId)
    {
        lock (_lock)
        {
            return _receivedQos2.Contains(packetId);
        }
    }

    /// <summary>Marks a QoS 2 packet id as received and not yet released; false when it already was.</summary>
    public bool AddReceivedQos2(ushort packetId)
    {
        lock (_lock)
        {
            return _receivedQos2.Add(packetId);
        }
    }

    public bool RemoveReceivedQos2(ushort packetId)
    {
        lock (_lock)
        {
            return _receivedQos2.Remove(packetId);
        }
    }

    public ushort[] ReceivedQos2Snapshot()
    {
        lock (_lock)
        {
            return [.. _receivedQos2];
        }
    }

    private void RebuildMatchList() => _matchList = [.. _subscriptions.Values.Where(s => !s.IsShared)];
}
