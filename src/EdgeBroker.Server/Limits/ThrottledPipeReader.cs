namespace EdgeBroker.Server.Limits;

using System.Buffers;
using System.IO.Pipelines;
using EdgeBroker.Core.Limits;

/// <summary>
/// Backpressure for a publisher that sends too fast (Mosquitto/EMQX style: stop reading rather than drop): the
/// bytes the protocol reader consumes are charged to a <see cref="TokenBucket"/>, and while the bucket is in debt
/// the next read waits it out. Nothing is read from the socket meanwhile, so the kernel buffers fill and TCP
/// flow control slows the client. The protocol code sees an ordinary, slower <see cref="PipeReader"/>.
/// Thread-safety: like any PipeReader, one reader at a time.
/// </summary>
public sealed class ThrottledPipeReader : PipeReader
{
    private readonly PipeReader _inner;
    private readonly TokenBucket _bucket;
    private readonly TimeProvider _time;
    private readonly Action<TimeSpan> _onThrottled;
    private ReadOnlySequence<byte> _last;

    /// <param name="onThrottled">Called with each wait (for metrics).</param>
    public ThrottledPipeReader(PipeReader inner, TokenBucket bucket, TimeProvider time, Action<TimeSpan> onThrottled)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(bucket);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(onThrottled);
        _inner = inner;
        _bucket = bucket;
        _time = time;
        _onThrottled = onThrottled;
    }

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        var delay = _bucket.Delay();
        if (delay > TimeSpan.Zero)
        {
            _onThrottled(delay);
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }

        var result = await _inner.ReadAsync(cancellationToken).ConfigureAwait(false);
        _last = result.Buffer;
        return result;
    }

    public override bool TryRead(out ReadResult result)
    {
        if (_bucket.Delay() > TimeSpan.Zero || !_inner.TryRead(out result))
        {
            result = default;
            return false;
        }

        _last = result.Buffer;
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        var bytes = _last.Slice(_last.Start, consumed).Length;
        if (bytes > 0)
        {
            _bucket.Consume(bytes);
        }

        _last = default;
        _inner.AdvanceTo(consumed, examined);
    }

    public override void CancelPendingRead() => _inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => _inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => _inner.CompleteAsync(exception);
}
