namespace EdgeBroker.Storage;

using System.Buffers;
using System.Threading.Channels;

/// <summary>
/// The single writer of a log (R2 group commit): drains the channel of pending appends (up to MaxBatchBytes,
/// after an optional linger), writes them back to back, issues ONE fsync under fsync=always, then completes
/// every waiter. Appends arriving during the fsync form the next batch. A write or fsync error fails every
/// waiter of the batch and all later appends, and the log turns read-only (R11): nothing is retried then acked.
/// Thread-safety: <see cref="TryEnqueue"/> from any thread; everything else runs on the writer task.
/// </summary>
internal sealed class LogWriter : IAsyncDisposable
{
    private readonly Channel<PendingAppend> _channel = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Log _log;
    private readonly LogOptions _options;
    private readonly ITimer? _timer;
    private readonly Task _loop;
    private Exception? _failure;

    public LogWriter(Log log, LogOptions options)
    {
        _log = log;
        _options = options;
        if (options.Fsync.Mode == FsyncMode.Interval)
        {
            _timer = options.Time.CreateTimer(_ => RequestFlush(), null, options.Fsync.Interval, options.Fsync.Interval);
        }

        _loop = Task.Run(RunAsync);
    }

    public bool TryEnqueue(PendingAppend append) => _channel.Writer.TryWrite(append);

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        await _loop.ConfigureAwait(false);
    }

    private void RequestFlush()
    {
        if (_log.HasUnsyncedData)
        {
            _channel.Writer.TryWrite(PendingAppend.FlushRequest);
        }
    }

    private async Task RunAsync()
    {
        var reader = _channel.Reader;
        var group = new List<PendingAppend>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            if (_options.Linger > TimeSpan.Zero)
            {
                await Task.Delay(_options.Linger, _options.Time).ConfigureAwait(false);
            }

            group.Clear();
            long bytes = 0;
            var flushRequested = false;
            while (bytes < _options.MaxBatchBytes && reader.TryRead(out var append))
            {
                if (append.IsFlushRequest)
                {
                    flushRequested = true;
                    continue;
                }

                group.Add(append);
                bytes += append.Length;
            }

            Process(group, flushRequested);
        }
    }

    private void Process(List<PendingAppend> group, bool flushRequested)
    {
        if (_failure is not null)
        {
            Fail(group, _failure);
            return;
        }

        try
        {
            foreach (var append in group)
            {
                append.Offset = _log.WriteBatch(append);
                ReturnBuffer(append);
            }

            var always = _options.Fsync.Mode == FsyncMode.Always;
            if ((always && group.Count > 0) || (flushRequested && _log.HasUnsyncedData))
            {
                // R1: one fsync for the whole batch; waiters complete only after it returned.
                _log.SyncActive();
            }
            else
            {
                _log.PublishWritten();
            }
        }
#pragma warning disable CA1031 // R11: any failure of write or fsync must nack the batch and stop the log.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _failure = ex;
            _log.EnterReadOnly();
            Fail(group, ex);
            return;
        }

        foreach (var append in group)
        {
            append.Completion.TrySetResult(append.Offset);
        }
    }

    private static void Fail(List<PendingAppend> group, Exception cause)
    {
        foreach (var append in group)
        {
            ReturnBuffer(append);
            append.Completion.TrySetException(new LogWriteException("the append was not made durable; the log is read-only until reopened", cause));
        }
    }

    private static void ReturnBuffer(PendingAppend append)
    {
        if (append.Buffer is { } buffer)
        {
            append.Buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
