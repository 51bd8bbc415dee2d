namespace EdgeBroker.Core.Broker;

/// <summary>Orders match results by subscriber, then by creation, so each subscriber's matches are adjacent. Stateless.</summary>
internal sealed class LiveSubscriptionOrder : IComparer<LiveSubscription>
{
    public static LiveSubscriptionOrder Instance { get; } = new();

    public int Compare(LiveSubscription? x, LiveSubscription? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        var bySubscriber = x.SubscriberOrdinal.CompareTo(y.SubscriberOrdinal);
        return bySubscriber != 0 ? bySubscriber : x.Sequence.CompareTo(y.Sequence);
    }
}
