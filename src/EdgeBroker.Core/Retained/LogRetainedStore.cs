namespace EdgeBroker.Core.Retained;

using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Persistence;
using EdgeBroker.Core.Routing;
using EdgeBroker.Storage;

/// <summary>
/// Retained messages on a <see cref="KeyValueLog"/> (key = topic, value = <see cref="MessageSerializer"/>
/// bytes; an empty payload writes a tombstone) with an in-memory topic → message map for reads.
/// </summary>
/// <remarks>
/// Thread-safety: reads take a short lock on the maps. A write updates the committed map only after the log write
/// completed, and only if the key-value log still holds that very value: concurrent writes of one topic end in
/// memory exactly as they will after a restart (the log order decides). Until then the write sits in the
/// in-flight map, which <see cref="Match"/> prefers, so a subscriber arriving mid-write is not missed; a failed
/// write leaves the in-flight map and the committed value shows again.
/// [MQTT-3.3.1-10] a retained message with an empty payload removes the retained message of its topic.
/// [MQTT-3.3.2-5] expired retained messages are not sent (skipped by <see cref="Match"/>).
/// </remarks>
public sealed class LogRetainedStore : IRetainedStore
{
    private readonly KeyValueLog _log;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Message> _messages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Message> _inFlight = new(StringComparer.Ordinal);

    private LogRetainedStore(KeyValueLog log, TimeProvider time)
    {
        _log = log;
        _time = time;
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _messages.Count;
            }
        }
    }

    /// <summary>What opening the log found, for the host to log.</summary>
    public RecoveryReport? RecoveryReport { get; private set; }

    public string Directory => _log.Directory;

    public long SizeBytes => _log.SizeBytes;

    /// <summary>True once a write or fsync error stopped the store (R11).</summary>
    public bool IsReadOnly => _log.IsReadOnly;

    /// <summary>Stored records that could not be decoded on open (kept on disk, never served).</summary>
    public int UnreadableRecords { get; private set; }

    /// <summary>
    /// Opens (creating if needed) the retained store in <paramref name="directory"/>. Small segments (a few MiB)
    /// let compaction reclaim overwritten values sooner: only sealed segments are compacted.
    /// </summary>
    public static LogRetainedStore Open(string directory, LogOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var log = KeyValueLog.Open(directory, options, out var report);
        var store = new LogRetainedStore(log, time ?? options.Time) { RecoveryReport = report };
        var unreadable = 0;
        foreach (var (topic, value) in log.Snapshot())
        {
            try
            {
                store._messages[topic] = MessageSerializer.Read(value);
            }
            catch (MessageFormatException)
            {
                unreadable++;
            }
        }

        store.UnreadableRecords = unreadable;
        return store;
    }

    public async ValueTask<TargetResult> SetAsync(Message message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var topic = message.Topic;
        if (string.IsNullOrEmpty(topic))
        {
            return TargetResult.Rejected("a retained message needs a topic");
        }

        try
        {
            if (message.Payload.IsEmpty)
            {
                ShowInFlight(topic, message);
                await _log.DeleteAsync(topic, cancellationToken).ConfigureAwait(false);
                lock (_lock)
                {
                    if (!_log.TryGet(topic, out _))
                    {
                        _messages.Remove(topic);
                    }
                }

                return TargetResult.Accepted;
            }

            byte[] value;
            try
            {
                value = new byte[MessageSerializer.GetSize(message)];
            }
            catch (ArgumentException ex)
            {
                return TargetResult.Rejected(ex.Message);
            }

            MessageSerializer.Write(message, value);
            ShowInFlight(topic, message);
            await _log.SetAsync(topic, value, cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                if (_log.TryGet(topic, out var current) && current.Equals(new ReadOnlyMemory<byte>(value)))
                {
                    _messages[topic] = message;
                }
            }

            return TargetResult.Accepted;
        }
        catch (LogWriteException ex)
        {
            return TargetResult.Failed(ex.Message);
        }
        finally
        {
            lock (_lock)
            {
                if (_inFlight.TryGetValue(topic, out var latest) && ReferenceEquals(latest, message))
                {
                    _inFlight.Remove(topic);
                }
            }
        }
    }

    private void ShowInFlight(string topic, Message message)
    {
        lock (_lock)
        {
            _inFlight[topic] = message;
        }
    }

    public IReadOnlyList<Message> Match(Func<string, bool> topicMatches)
    {
        ArgumentNullException.ThrowIfNull(topicMatches);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var result = new List<Message>();
        lock (_lock)
        {
            foreach (var (topic, message) in _messages)
            {
                if (!_inFlight.ContainsKey(topic) && !message.IsExpiredAt(now) && topicMatches(topic))
                {
                    result.Add(message);
                }
            }

            foreach (var (topic, message) in _inFlight)
            {
                // An in-flight clear (empty payload) hides the committed value and shows nothing.
                if (!message.Payload.IsEmpty && !message.IsExpiredAt(now) && topicMatches(topic))
                {
                    result.Add(message);
                }
            }
        }

        return result;
    }

    /// <summary>
    /// Clears (tombstones) every retained message whose expiry has passed, so the log can compact them away;
    /// returns how many. Call it now and then (Match already skips them).
    /// </summary>
    public async ValueTask<int> SweepExpiredAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        List<(string Topic, Message Message)> expired;
        lock (_lock)
        {
            expired = [.. _messages.Where(p => p.Value.IsExpiredAt(now)).Select(p => (p.Key, p.Value))];
        }

        var cleared = 0;
        foreach (var (topic, message) in expired)
        {
            lock (_lock)
            {
                if (!_messages.TryGetValue(topic, out var current) || !ReferenceEquals(current, message))
                {
                    continue; // replaced meanwhile by a newer retained message
                }
            }

            await SetAsync(new Message { Topic = topic }, cancellationToken).ConfigureAwait(false);
            cleared++;
        }

        return cleared;
    }

    public ValueTask DisposeAsync() => _log.DisposeAsync();
}
