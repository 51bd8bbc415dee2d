namespace EdgeBroker.Core.Broker;

using System.Buffers;
using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Routing;

/// <summary>
/// Fan-out to bound targets: every target is started at once, durable ones (and the retained store) are awaited
/// together, and the publish result is the worst of them (R3). Route buffers and the pending array are pooled.
/// </summary>
public sealed partial class Broker
{
    [ThreadStatic]
    private static RouteTargets? t_routeTargets;

    private static RouteTargets RentTargets()
    {
        var targets = t_routeTargets ?? new RouteTargets();
        t_routeTargets = null;
        return targets;
    }

    private static void ReturnTargets(RouteTargets targets)
    {
        targets.Clear();
        t_routeTargets = targets;
    }

    /// <summary>
    /// Starts every target at once (durable ones and the retained store are collected to await; non-durable
    /// ones are observed in the background), returns the route buffer before the first await, and completes
    /// synchronously without allocating when every durable target did.
    /// </summary>
    /// <param name="retained">The retained-store write, already started by the caller; null when not retained.</param>
    private ValueTask<PublishResult> DispatchAsync(Message message, RouteTargets targets, int live, ValueTask<TargetResult>? retained, CancellationToken cancellationToken)
    {
        var capacity = targets.Count + (retained.HasValue ? 1 : 0);
        if (capacity == 0)
        {
            ReturnTargets(targets);
            return new(Complete(new PublishResult(live == 0 ? PublishOutcome.NoMatchingSubscribers : PublishOutcome.Accepted, 0, live)));
        }

        var pending = ArrayPool<ValueTask<TargetResult>>.Shared.Rent(capacity);
        var durable = 0;
        foreach (var target in targets.AsSpan())
        {
            var started = Start(target, message, cancellationToken);
            if (target.IsDurable)
            {
                pending[durable++] = started;
            }
            else
            {
                live++;
                _ = ObserveAsync(started);
            }
        }

        ReturnTargets(targets);
        if (retained is { } stored)
        {
            pending[durable++] = stored;
        }

        var allDone = true;
        for (var i = 0; i < durable && allDone; i++)
        {
            allDone = pending[i].IsCompleted;
        }

        if (!allDone)
        {
            return new(AwaitAllAsync(pending, durable, live));
        }

        var result = Combine(pending, durable, live);
        ArrayPool<ValueTask<TargetResult>>.Shared.Return(pending, clearArray: true);
        return new(Complete(result));
    }

    private async Task<PublishResult> AwaitAllAsync(ValueTask<TargetResult>[] pending, int durable, int live)
    {
        // Every target was already started, so awaiting them one after the other waits for the slowest, not the sum.
        var worst = TargetResult.Accepted;
        for (var i = 0; i < durable; i++)
        {
            var result = await Settle(pending[i]).ConfigureAwait(false);
            worst = Worse(worst, result);
        }

        ArrayPool<ValueTask<TargetResult>>.Shared.Return(pending, clearArray: true);
        return Complete(ToPublishResult(worst, durable, live));
    }

    private static PublishResult Combine(ValueTask<TargetResult>[] completed, int durable, int live)
    {
        var worst = TargetResult.Accepted;
        for (var i = 0; i < durable; i++)
        {
            worst = Worse(worst, SettleCompleted(completed[i]));
        }

        return ToPublishResult(worst, durable, live);
    }

    /// <summary>Failed beats Rejected beats Accepted; the first reason of the worst kind is kept.</summary>
    private static TargetResult Worse(TargetResult current, TargetResult next) => next.Outcome > current.Outcome ? next : current;

    private static PublishResult ToPublishResult(TargetResult worst, int durable, int live) => worst.Outcome switch
    {
        TargetOutcome.Failed => new PublishResult(PublishOutcome.Failed, durable, live, worst.Reason),
        TargetOutcome.Rejected => new PublishResult(PublishOutcome.Rejected, durable, live, worst.Reason),
        _ => new PublishResult(durable + live == 0 ? PublishOutcome.NoMatchingSubscribers : PublishOutcome.Accepted, durable, live),
    };

    private PublishResult Complete(PublishResult result)
    {
        if (!result.IsAcknowledged)
        {
            Counters.CountRefused();
        }

        return result;
    }

    private static ValueTask<TargetResult> Start(IMessageTarget target, Message message, CancellationToken cancellationToken)
    {
        try
        {
            return target.AcceptAsync(message, cancellationToken);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new(TargetResult.Failed($"{target.Name}: {ex.Message}"));
        }
    }

    /// <summary>[MQTT-3.3.1-5] stores the topic's retained message; [MQTT-3.3.1-6] an empty payload clears it.</summary>
    private ValueTask<TargetResult> StartRetained(Message message, CancellationToken cancellationToken)
    {
        try
        {
            return _retained.SetAsync(message, cancellationToken);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new(TargetResult.Failed($"retained store: {ex.Message}"));
        }
    }

    /// <summary>Turns a throwing or cancelled target into a Failed result: an exception is never an acknowledgement.</summary>
    private static async ValueTask<TargetResult> Settle(ValueTask<TargetResult> started)
    {
        try
        {
            return await started.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return TargetResult.Failed("cancelled before the target accepted the message");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return TargetResult.Failed(ex.Message);
        }
    }

    private static TargetResult SettleCompleted(ValueTask<TargetResult> completed)
    {
        try
        {
            return completed.IsCompleted ? completed.Result : TargetResult.Failed("internal error: target not completed");
        }
        catch (OperationCanceledException)
        {
            return TargetResult.Failed("cancelled before the target accepted the message");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return TargetResult.Failed(ex.Message);
        }
    }

    private static async Task ObserveAsync(ValueTask<TargetResult> started) => await Settle(started).ConfigureAwait(false);
}
