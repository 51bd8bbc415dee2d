namespace EdgeBroker.Stomp.Server;

/// <summary>
/// One timer per connection: the CONNECT deadline before CONNECTED, then heart-beats both ways
/// [STOMP 1.2 "Heart-beating"]: send an EOL when nothing was written for half the negotiated interval;
/// close when nothing was read for the negotiated interval × <see cref="StompServerOptions.HeartbeatTolerance"/>,
/// unless the read loop is itself holding a SEND at the publish gate (then the client is not the one silent).
/// </summary>
public sealed partial class StompSession
{
    private static readonly TimeSpan MinTick = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan MaxTick = TimeSpan.FromSeconds(1);

    private async Task RunWatchdogAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Clamp(_options.ConnectTimeout / 4), _time);
        var tuned = false;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!_connected)
                {
                    if (Since(_startTimestamp) >= _options.ConnectTimeout)
                    {
                        Expire(StompCloseReason.ConnectTimeout);
                        return;
                    }

                    continue;
                }

                if (!tuned)
                {
                    tuned = true;
                    var tick = MaxTick;
                    if (_sendHeartbeatMs > 0)
                    {
                        tick = Min(tick, TimeSpan.FromMilliseconds(_sendHeartbeatMs / 2.0));
                    }

                    if (_receiveHeartbeatMs > 0)
                    {
                        tick = Min(tick, TimeSpan.FromMilliseconds(_receiveHeartbeatMs / 4.0));
                    }

                    timer.Period = Clamp(tick);
                }

                if (_receiveHeartbeatMs > 0 && !_holdingSend && Since(Interlocked.Read(ref _lastReadTimestamp)).TotalMilliseconds > _receiveHeartbeatMs * _options.HeartbeatTolerance)
                {
                    Expire(StompCloseReason.HeartbeatTimeout);
                    return;
                }

                if (_sendHeartbeatMs > 0 && Since(_outbound.LastWriteTimestamp).TotalMilliseconds >= _sendHeartbeatMs / 2.0)
                {
                    _outbound.EnqueueHeartbeat();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The connection ended.
        }
    }

    private void Expire(StompCloseReason reason)
    {
        _closeReason = reason;
        _transport.Input.CancelPendingRead();
    }

    private static TimeSpan Clamp(TimeSpan tick) => tick < MinTick ? MinTick : tick > MaxTick ? MaxTick : tick;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
