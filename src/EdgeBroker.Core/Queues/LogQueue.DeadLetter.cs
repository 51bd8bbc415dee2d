namespace EdgeBroker.Core.Queues;

using EdgeBroker.Core.Routing;

/// <summary>
/// Dead-lettering and expiry. Order matters for crashes: the copy is appended durably to the dead-letter queue
/// first, then the settlement is written here, so a crash in between leaves a duplicate, never a loss. Until
/// the settlement is written the id stays in <see cref="_deadLetterPending"/> so that segment cleanup keeps it.
/// </summary>
public sealed partial class LogQueue
{
    private readonly HashSet<long> _deadLetterPending = [];
    private bool _mayExpire;

    /// <summary>Dead-letters every ready message whose TTL or own expiry has passed; returns how many.</summary>
    public int SweepExpired()
    {
        List<QueueEntry>? expired = null;
        var now = NowMs();
        lock (_lock)
        {
            if (!_mayExpire || _closed)
            {
                return 0;
            }

            var anyLeft = false;
            foreach (var entry in _ready)
            {
                if (entry.ExpiresAtMs <= now)
                {
                    (expired ??= []).Add(entry);
                }
                else
                {
                    anyLeft |= entry.ExpiresAtMs != long.MaxValue;
                }
            }

            if (expired is null)
            {
                _mayExpire = anyLeft || Options.MessageTtl is not null;
                return 0;
            }

            foreach (var entry in expired)
            {
                RemoveReady(entry);
                _deadLetterPending.Add(entry.Id);
            }
        }

        RunInBackground(() => DeadLetterAsync(expired, DeadLetterMessage.Expired));
        return expired.Count;
    }

    /// <summary>The entries were taken out of the ready set / unacked maps and added to <see cref="_deadLetterPending"/> by the caller.</summary>
    private async Task DeadLetterAsync(IReadOnlyList<QueueEntry> entries, string reason)
    {
        var settlements = new List<Settlement>(entries.Count);
        try
        {
            EnsureLoaded(entries);
            var target = ResolveDeadLetterTarget();
            foreach (var entry in entries)
            {
                var kind = SettlementKind.Dropped;
                if (entry.Message is null)
                {
                    Count(ref _dropped); // unreadable on disk: not settled, it stays there (R8)
                    continue;
                }

                if (target is not null)
                {
                    var copy = DeadLetterMessage.Create(entry.Message, QueueName, reason, entry.DeliveryCount);
                    var result = await target.AcceptAsync(copy, CancellationToken.None).ConfigureAwait(false);
                    if (result.Outcome == TargetOutcome.Failed)
                    {
                        // Not settled: the message stays in our log and comes back after a restart (no loss).
                        Count(ref _dropped);
                        continue;
                    }

                    kind = result.Outcome == TargetOutcome.Accepted ? SettlementKind.DeadLettered : SettlementKind.Dropped;
                }

                if (kind == SettlementKind.DeadLettered)
                {
                    Count(ref _deadLettered);
                }
                else if (reason != DeadLetterMessage.MaxLength)
                {
                    Count(ref _dropped); // drop-head victims were counted as dropped when they were pushed out
                }

                settlements.Add(new Settlement(entry.Id, kind));
            }

            await _journal.AppendSettlementsAsync(settlements, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            lock (_lock)
            {
                foreach (var entry in entries)
                {
                    _deadLetterPending.Remove(entry.Id);
                }
            }
        }
    }

    private IMessageTarget? ResolveDeadLetterTarget()
    {
        if (DeadLetterQueueName is null || _resolveDeadLetter is null)
        {
            return null;
        }

        try
        {
            var target = _resolveDeadLetter(DeadLetterQueueName);
            return ReferenceEquals(target, this) ? null : target; // never into itself
        }
        catch (ArgumentException)
        {
            return null; // e.g. "<name>.dlq" longer than the name limit: dropped, counted
        }
    }

    private void Count(ref long counter)
    {
        lock (_lock)
        {
            counter++;
        }
    }
}
