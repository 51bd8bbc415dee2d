namespace EdgeBroker.Core.Limits;

/// <summary>
/// One connection's admission of its publishes (see <see cref="PublishLimits"/>). The adapter asks
/// <see cref="TryPass"/> before it handles each PUBLISH/SEND; when that says no it awaits <see cref="WaitAsync"/>
/// from its read loop, so nothing more is read from that client meanwhile and TCP flow control reaches it (the
/// adapter suspends its idle checks while it waits: the silence is the broker's doing, not the client's).
/// The fast path is one volatile read (and one uncontended lock when a rate is set); no allocation.
/// Thread-safety: one read loop calls TryPass/WaitAsync.
/// </summary>
public sealed class PublishGate
{
    private readonly PublishLimits _limits;
    private readonly TokenBucket? _rate;

    internal PublishGate(PublishLimits limits, TokenBucket? rate)
    {
        _limits = limits;
        _rate = rate;
    }

    /// <summary>Admits one publish now when neither the memory alarm nor the rate holds it; false = call <see cref="WaitAsync"/>.</summary>
    public bool TryPass() => !_limits.Alarms.MemoryAlarm && (_rate is null || _rate.TryTake());

    /// <summary>Waits until one publish may go: the memory alarm clears, then the rate allows it.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        var alarms = _limits.Alarms;
        if (alarms.MemoryAlarm)
        {
            _limits.CountMemoryHeld();
            while (alarms.MemoryAlarm)
            {
                await alarms.WhenMemoryAlarmClearedAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        if (_rate is not null && !_rate.TryTake())
        {
            // Take the token on credit and sleep off the debt: the wait is exactly as long as the rate demands.
            _rate.Consume(1);
            var wait = _rate.Delay();
            _limits.CountRateHeld(wait);
            await Task.Delay(wait, _limits.Time, cancellationToken).ConfigureAwait(false);
        }
    }
}
