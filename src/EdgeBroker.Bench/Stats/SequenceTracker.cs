namespace EdgeBroker.Bench.Stats;

/// <summary>
/// Counts unique, duplicated and missing sequence numbers of one stream of messages (one publisher as seen by
/// one receiver, or by one group of competing consumers). Publishers number their messages 0, 1, 2, …; a number
/// below the next expected one is either a late (reordered) arrival that fills a gap, or a duplicate.
/// Gaps wider than <see cref="MaxTrackedGap"/> are counted as lost at once (they cannot be filled later) so a
/// huge loss cannot exhaust memory.
/// Thread-safe (a lock: competing consumers share one tracker; it is uncontended for the others).
/// </summary>
public sealed class SequenceTracker
{
    public const int MaxTrackedGap = 1_000_000;

    private readonly object _gate = new();
    private readonly HashSet<long> _missing = [];
    private long _next;
    private long _duplicates;
    private long _abandoned;

    /// <summary>Records one arrival; returns false when it was a duplicate.</summary>
    public bool Record(long sequence)
    {
        lock (_gate)
        {
            if (sequence == _next)
            {
                _next++;
                return true;
            }

            if (sequence > _next)
            {
                var gap = sequence - _next;
                if (gap > MaxTrackedGap)
                {
                    _abandoned += gap;
                }
                else
                {
                    for (var s = _next; s < sequence; s++)
                    {
                        _missing.Add(s);
                    }
                }

                _next = sequence + 1;
                return true;
            }

            if (_missing.Remove(sequence))
            {
                return true;
            }

            _duplicates++;
            return false;
        }
    }

    public long Duplicates
    {
        get
        {
            lock (_gate)
            {
                return _duplicates;
            }
        }
    }

    /// <summary>How many distinct sequence numbers arrived (abandoned gaps count as never arriving).</summary>
    public long Unique
    {
        get
        {
            lock (_gate)
            {
                return _next - _missing.Count - _abandoned;
            }
        }
    }

    /// <summary>Messages 0 … <paramref name="sent"/>−1 that never arrived.</summary>
    public long Lost(long sent)
    {
        lock (_gate)
        {
            var beyond = Math.Max(0, sent - _next);
            // Arrivals beyond what the publisher reports as sent cannot happen; clamp rather than go negative.
            return beyond + _missing.Count(s => s < sent) + _abandoned;
        }
    }
}
