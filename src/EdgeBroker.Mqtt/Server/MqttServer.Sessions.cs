namespace EdgeBroker.Mqtt.Server;

using System.Security.Cryptography;
using System.Text;
using EdgeBroker.Core;
using EdgeBroker.Core.Queues;
using EdgeBroker.Mqtt.Codec;

/// <summary>
/// The session registry. A persistent session owns a core queue named by <see cref="SessionQueueName"/>, bound to
/// each of its (non-shared) filters on the default exchange: a publish is acknowledged only once that queue
/// accepted it (R3), and messages published while the client is away (or the broker restarts) wait there.
/// Its state record (subscriptions, QoS 2 ids) lives in the core session store under <c>mqtt/&lt;client id&gt;</c>.
/// </summary>
public sealed partial class MqttServer
{
    private const string StoreKeyPrefix = "mqtt/";

    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private readonly Lock _registryLock = new();
    private readonly Dictionary<string, SessionEntry> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CancellationTokenSource> _pendingWills = new(StringComparer.Ordinal);

    /// <summary>Sessions known right now (connected, and persistent ones waiting for their client).</summary>
    public int SessionCount
    {
        get
        {
            lock (_registryLock)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary>A deterministic queue name, in the queue-name alphabet, for the persistent session of <paramref name="clientId"/>.</summary>
    public static string SessionQueueName(string clientId)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(clientId), digest);
        var readable = new string([.. clientId.Take(48).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]);
        return $"mqtt.session.{readable}.{Convert.ToHexStringLower(digest[..8])}";
    }

    /// <summary>
    /// Attaches <paramref name="connection"/> to the session of <paramref name="clientId"/>: takes over a connected
    /// one ([MQTT-3.1.4-3], v5 DISCONNECT 0x8E), discards it on clean start ([MQTT-3.1.2-4]) or expiry, or resumes it.
    /// </summary>
    internal async Task<(MqttSessionState Session, bool Present)> AttachAsync(MqttConnection connection, string clientId, bool cleanStart, uint expirySeconds, MqttProtocolVersion version)
    {
        await _connectGate.WaitAsync().ConfigureAwait(false);
        try
        {
            SessionEntry? existing;
            lock (_registryLock)
            {
                _sessions.TryGetValue(clientId, out existing);
            }

            if (existing?.Connection is { } old)
            {
                old.TakeOver();
                await Task.WhenAny(old.Completion, Task.Delay(Options.CloseTimeout * 2, Time)).ConfigureAwait(false);
                lock (_registryLock)
                {
                    _sessions.TryGetValue(clientId, out existing);
                }
            }

            CancelPendingWill(clientId);
            var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
            if (existing is not null && (cleanStart || existing.State.IsExpiredAt(now) || existing.Connection is not null))
            {
                await RemoveSessionAsync(existing.State).ConfigureAwait(false);
                existing = null;
            }

            MqttSessionState state;
            if (existing is null)
            {
                string? queue = null;
                if (expirySeconds > 0)
                {
                    queue = SessionQueueName(clientId);
                    var topology = Broker.Topology;
                    if (topology.GetQueue(queue) is not null)
                    {
                        topology.DeleteQueue(queue); // leftovers of a session whose record was lost: a new session starts empty
                    }

                    topology.DeclareQueue(queue, new QueueOptions
                    {
                        MaxLength = Options.SessionQueueMaxLength,
                        Overflow = QueueOverflow.RejectPublish,
                        DeliveryLimit = null,
                        DeadLetterQueue = string.Empty,
                    });
                }

                state = new MqttSessionState(clientId, version, expirySeconds, queue);
            }
            else
            {
                state = existing.State;
                state.Version = version;
                state.ExpirySeconds = expirySeconds;
                state.DisconnectedAtMs = 0;
            }

            if (state.IsPersistent)
            {
                await SaveAsync(state).ConfigureAwait(false);
            }

            lock (_registryLock)
            {
                _sessions[clientId] = new SessionEntry(state, connection);
            }

            return (state, existing is not null);
        }
        finally
        {
            _connectGate.Release();
        }
    }

    /// <summary>The connection ended: a persistent session with expiry left is kept (and saved), any other is removed.</summary>
    internal async Task DetachAsync(MqttConnection connection, MqttSessionState state)
    {
        bool keep;
        lock (_registryLock)
        {
            if (!_sessions.TryGetValue(state.ClientId, out var entry) || entry.Connection != connection)
            {
                return;
            }

            keep = state.IsPersistent && state.ExpirySeconds > 0;
            if (keep)
            {
                state.DisconnectedAtMs = Math.Max(1, Time.GetUtcNow().ToUnixTimeMilliseconds());
                _sessions[state.ClientId] = entry with { Connection = null };
            }
            else
            {
                _sessions.Remove(state.ClientId);
            }
        }

        if (keep)
        {
            await SaveAsync(state).ConfigureAwait(false);
        }
        else if (state.IsPersistent)
        {
            await RemoveSessionResourcesAsync(state).ConfigureAwait(false);
        }
    }

    /// <summary>Writes the session record (durable under the store's fsync policy before it completes).</summary>
    internal async ValueTask SaveAsync(MqttSessionState state)
    {
        try
        {
            await _store.SaveAsync(StoreKeyPrefix + state.ClientId, MqttSessionSerializer.Serialize(state)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException)
        {
            MqttLog.SessionSaveFailed(Logger, state.ClientId, ex.Message);
            throw;
        }
    }

    /// <summary>Publishes the will after <paramref name="delay"/> unless the client reconnects first (v5 Will Delay Interval).</summary>
    internal void ScheduleWill(string clientId, TimeSpan delay, Func<Task> publish)
    {
        var cts = new CancellationTokenSource();
        lock (_registryLock)
        {
            if (_pendingWills.Remove(clientId, out var previous))
            {
                previous.Cancel();
            }

            _pendingWills[clientId] = cts;
        }

        _ = RunAsync();

        async Task RunAsync()
        {
            try
            {
                await Task.Delay(delay, Time, cts.Token).ConfigureAwait(false);
                lock (_registryLock)
                {
                    if (!_pendingWills.TryGetValue(clientId, out var current) || current != cts)
                    {
                        return;
                    }

                    _pendingWills.Remove(clientId);
                }

                await publish().ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                cts.Dispose();
            }
        }
    }

    private void CancelPendingWill(string clientId)
    {
        lock (_registryLock)
        {
            if (_pendingWills.Remove(clientId, out var pending))
            {
                pending.Cancel();
            }
        }
    }

    private void CancelPendingWills()
    {
        lock (_registryLock)
        {
            foreach (var pending in _pendingWills.Values)
            {
                pending.Cancel();
            }

            _pendingWills.Clear();
        }
    }

    private void RestoreSessions(IBroker broker)
    {
        var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
        int restored = 0, expired = 0, unreadable = 0;
        foreach (var (key, value) in _store.LoadAll())
        {
            if (!key.StartsWith(StoreKeyPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var clientId = key[StoreKeyPrefix.Length..];
            MqttSessionState state;
            try
            {
                state = MqttSessionSerializer.Deserialize(clientId, value);
            }
            catch (Exception ex) when (ex is InvalidDataException or ArgumentException)
            {
                unreadable++;
                continue;
            }

            // A session that was connected when the broker stopped counts as disconnected from now on.
            if (state.DisconnectedAtMs == 0)
            {
                state.DisconnectedAtMs = now;
            }

            if (state.IsExpiredAt(now) || !state.IsPersistent)
            {
                expired++;
                RemoveSessionResources(broker, state);
                _ = _store.DeleteAsync(key).AsTask();
                continue;
            }

            lock (_registryLock)
            {
                _sessions[clientId] = new SessionEntry(state, null);
            }

            restored++;
        }

        MqttLog.SessionsRestored(Logger, restored, expired, unreadable);
    }

    private async Task SweepExpiredSessionsAsync()
    {
        if (_stopping || _broker is null || !await _connectGate.WaitAsync(0).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
            List<MqttSessionState> expired;
            lock (_registryLock)
            {
                expired = [.. _sessions.Values.Where(e => e.Connection is null && e.State.IsExpiredAt(now)).Select(e => e.State)];
            }

            foreach (var state in expired)
            {
                await RemoveSessionAsync(state).ConfigureAwait(false);
                MqttLog.SessionExpired(Logger, state.ClientId);
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException)
        {
            MqttLog.SessionSaveFailed(Logger, "(expiry sweep)", ex.Message);
        }
        finally
        {
            _connectGate.Release();
        }
    }

    /// <summary>
    /// Resources go first, the registry entry last: a session counted as gone must have no queue or stored state
    /// left behind. Callers hold the connect gate, so nobody can take the session over in between.
    /// </summary>
    private async Task RemoveSessionAsync(MqttSessionState state)
    {
        await RemoveSessionResourcesAsync(state).ConfigureAwait(false);
        lock (_registryLock)
        {
            if (_sessions.TryGetValue(state.ClientId, out var entry) && entry.State == state)
            {
                _sessions.Remove(state.ClientId);
            }
        }
    }

    private async Task RemoveSessionResourcesAsync(MqttSessionState state)
    {
        if (!state.IsPersistent)
        {
            return;
        }

        RemoveSessionResources(Broker, state);
        await _store.DeleteAsync(StoreKeyPrefix + state.ClientId).ConfigureAwait(false);
    }

    private static void RemoveSessionResources(IBroker broker, MqttSessionState state)
    {
        // Deleting the queue also removes its bindings. $share group queues are shared with other members and stay.
        if (state.QueueName is { } queue && broker.Topology.GetQueue(queue) is not null)
        {
            broker.Topology.DeleteQueue(queue);
        }
    }

    private sealed record SessionEntry(MqttSessionState State, MqttConnection? Connection);
}
