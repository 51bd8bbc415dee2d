namespace EdgeBroker.Core.Queues;

using System.Buffers.Binary;
using EdgeBroker.Storage;

/// <summary>
/// A queue's storage: a <c>messages</c> log (one record per enqueue; offset = message id; value = the
/// serialized message; timestamp = enqueue time) and an <c>acks</c> log (settlement records). Enqueues are
/// durable under the store's fsync policy before they complete (R1); settlements may be synced lazily (R5): a
/// lost settlement means a redelivery after a crash, never a loss.
/// Thread-safe: the logs are; one lock guards the trim checkpoints.
/// </summary>
/// <remarks>
/// <code>
///  acks record value: n × 9 bytes (key empty)
///  +0  u8   SettlementKind
///  +1  i64  message id, little-endian
/// </code>
/// Trimming the acks log: every <see cref="CheckpointEvery"/> settlement appends, a checkpoint
/// (acks EndOffset, highest message id submitted so far) is taken under the lock. Every acks record below that
/// offset was submitted before it, so it settles an id ≤ that maximum. Once the messages log starts above that
/// maximum those acks records concern only deleted messages and their segments can go.
/// </remarks>
internal sealed class LogQueueJournal : IQueueJournal
{
    private const int CheckpointEvery = 256;
    private const int SettlementSize = 9;

    private readonly Log _messages;
    private readonly Log _acks;
    private readonly IFileIO _io;
    private readonly string _directory;
    private readonly Lock _lock = new();
    private readonly Queue<(long AcksOffset, long MaxMessageId)> _checkpoints = new();
    private long _maxSubmittedId = -1;
    private int _appendsSinceCheckpoint;

    private LogQueueJournal(string directory, Log messages, Log acks, IFileIO io)
    {
        _directory = directory;
        _messages = messages;
        _acks = acks;
        _io = io;
    }

    public long NextMessageId => _messages.EndOffset;

    public long SizeBytes => _messages.SizeBytes + _acks.SizeBytes;

    public bool IsReadOnly => _messages.IsReadOnly || _acks.IsReadOnly;

    /// <summary>What opening the two logs found (the host logs these).</summary>
    public IReadOnlyList<RecoveryReport> RecoveryReports { get; private init; } = [];

    /// <summary>
    /// Opens (creating if needed) both logs under <paramref name="directory"/>. The acks log keeps the
    /// messages log's policy unless that is <c>always</c>, in which case it syncs every 200 ms (R5).
    /// </summary>
    public static LogQueueJournal Open(string directory, LogOptions options)
    {
        var io = options.FileIO;
        io.CreateDirectory(directory);
        var messages = Log.Open(Path.Combine(directory, "messages"), options, out var messagesReport);
        try
        {
            var ackOptions = options.Fsync.Mode == FsyncMode.Always ? options with { Fsync = FsyncPolicy.Every(TimeSpan.FromMilliseconds(200)) } : options;
            var acks = Log.Open(Path.Combine(directory, "acks"), ackOptions, out var acksReport);
            return new LogQueueJournal(directory, messages, acks, io) { RecoveryReports = [messagesReport, acksReport] };
        }
        catch
        {
            messages.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    public ValueTask<long> AppendMessageAsync(ReadOnlyMemory<byte> record, long enqueuedAtMs, CancellationToken cancellationToken) =>
        _messages.AppendAsync(new LogRecord(ReadOnlyMemory<byte>.Empty, record, enqueuedAtMs), cancellationToken);

    public async ValueTask AppendSettlementsAsync(IReadOnlyList<Settlement> settlements, CancellationToken cancellationToken)
    {
        if (settlements.Count == 0)
        {
            return;
        }

        var max = long.MinValue;
        foreach (var s in settlements)
        {
            max = Math.Max(max, s.MessageId);
        }

        lock (_lock)
        {
            _maxSubmittedId = Math.Max(_maxSubmittedId, max);
            if (++_appendsSinceCheckpoint >= CheckpointEvery)
            {
                _appendsSinceCheckpoint = 0;
                _checkpoints.Enqueue((_acks.EndOffset, _maxSubmittedId));
            }
        }

        // A big AckUpTo or purge is split so that no record passes MaxRecordBytes and no batch a quarter segment.
        var options = _acks.Options;
        var perRecord = (int)Math.Max(1, Math.Min(Math.Min(options.MaxRecordBytes, options.SegmentBytes / 4), 64 * 1024) / SettlementSize);
        var recordsPerAppend = (int)Math.Max(1, options.SegmentBytes / 4 / (perRecord * SettlementSize));
        var now = Now();
        var appends = new List<Task>();
        var batch = new List<LogRecord>();
        for (var start = 0; start < settlements.Count; start += perRecord)
        {
            var count = Math.Min(perRecord, settlements.Count - start);
            var value = new byte[count * SettlementSize];
            for (var i = 0; i < count; i++)
            {
                var s = settlements[start + i];
                value[i * SettlementSize] = (byte)s.Kind;
                BinaryPrimitives.WriteInt64LittleEndian(value.AsSpan((i * SettlementSize) + 1), s.MessageId);
            }

            batch.Add(new LogRecord(ReadOnlyMemory<byte>.Empty, value, now));
            if (batch.Count == recordsPerAppend)
            {
                appends.Add(_acks.AppendAsync(batch, cancellationToken).AsTask());
                batch = [];
            }
        }

        if (batch.Count > 0)
        {
            appends.Add(_acks.AppendAsync(batch, cancellationToken).AsTask());
        }

        await Task.WhenAll(appends).ConfigureAwait(false);
    }

    public JournalRecovery Recover(Action<StoredMessage> onLive)
    {
        var settled = new HashSet<long>();
        long settledRecords = 0;
        long live = 0;
        var firstMessage = _messages.StartOffset;
        var unreadable = ForEachRecord(_acks, entry =>
        {
            var value = entry.Value.Span;
            if (value.Length % SettlementSize != 0)
            {
                return false;
            }

            for (var i = 0; i < value.Length; i += SettlementSize)
            {
                var id = BinaryPrimitives.ReadInt64LittleEndian(value[(i + 1)..]);
                settledRecords++;
                if (id >= firstMessage)
                {
                    settled.Add(id);
                }

                _maxSubmittedId = Math.Max(_maxSubmittedId, id);
            }

            if (++_appendsSinceCheckpoint >= CheckpointEvery)
            {
                _appendsSinceCheckpoint = 0;
                _checkpoints.Enqueue((entry.Offset + 1, _maxSubmittedId));
            }

            return true;
        });

        unreadable += ForEachRecord(_messages, entry =>
        {
            if (!settled.Contains(entry.Offset))
            {
                live++;
                onLive(new StoredMessage(entry.Offset, entry.TimestampMs, entry.Value));
            }

            return true;
        });

        return new JournalRecovery(live, settledRecords, unreadable);
    }

    public IReadOnlyList<StoredMessage> ReadMessages(long fromId, long toId)
    {
        var result = new List<StoredMessage>();
        var offset = fromId;
        while (offset <= toId)
        {
            IReadOnlyList<LogEntry> entries;
            try
            {
                entries = _messages.Read(offset, (int)Math.Min(4096, toId - offset + 1));
            }
            catch (LogCorruptedException ex)
            {
                offset = Math.Max(offset + 1, ex.EndOffset); // R8: quarantined, skipped (the caller sees it missing)
                continue;
            }

            if (entries.Count == 0)
            {
                break;
            }

            foreach (var entry in entries)
            {
                if (entry.Offset <= toId)
                {
                    result.Add(new StoredMessage(entry.Offset, entry.TimestampMs, entry.Value));
                }
            }

            offset = entries[^1].Offset + 1;
        }

        return result;
    }

    public void Truncate(long firstLiveMessageId)
    {
        _messages.DeleteSegmentsBefore(firstLiveMessageId);
        var messagesStart = _messages.StartOffset;
        long acksCut = -1;
        lock (_lock)
        {
            while (_checkpoints.TryPeek(out var c) && c.MaxMessageId < messagesStart)
            {
                acksCut = c.AcksOffset;
                _checkpoints.Dequeue();
            }
        }

        if (acksCut > 0)
        {
            _acks.DeleteSegmentsBefore(acksCut);
        }
    }

    public async ValueTask DeleteAsync()
    {
        await DisposeAsync().ConfigureAwait(false);
        if (_io.DirectoryExists(_directory))
        {
            _io.DeleteDirectory(_directory);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _messages.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            await _acks.DisposeAsync().ConfigureAwait(false);
        }
    }

    private long Now() => _acks.Options.Time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Calls <paramref name="action"/> for every readable record, one chunk in memory at a time; returns how many
    /// records were unusable (quarantined ranges, R8, are counted and skipped, never used; or refused by the action).
    /// </summary>
    private static long ForEachRecord(Log log, Func<LogEntry, bool> action)
    {
        long unreadable = 0;
        var offset = log.StartOffset;
        var end = log.ReadableEndOffset;
        while (offset < end)
        {
            IReadOnlyList<LogEntry> entries;
            try
            {
                entries = log.Read(offset, 4096, 8 * 1024 * 1024);
            }
            catch (LogCorruptedException ex)
            {
                unreadable += Math.Max(1, ex.EndOffset - offset);
                offset = Math.Max(offset + 1, ex.EndOffset);
                continue;
            }

            if (entries.Count == 0)
            {
                break;
            }

            foreach (var entry in entries)
            {
                if (!action(entry))
                {
                    unreadable++;
                }
            }

            offset = entries[^1].Offset + 1;
        }

        return unreadable;
    }
}
