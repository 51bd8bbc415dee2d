namespace EdgeBroker.Core.Broker;

using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using EdgeBroker.Core.Queues;
using EdgeBroker.Core.Retained;
using EdgeBroker.Core.Routing;
using EdgeBroker.Core.Security;
using EdgeBroker.Core.Topics;

/// <summary>
/// The embedded <see cref="IBroker"/>: live subscriptions in a <see cref="TopicTree{T}"/>, exchanges and bindings
/// in a <see cref="TopologyRegistry"/>, queues and retained messages behind their stores.
/// Split by concern: Broker.Publish.cs (validation, authorization, live delivery), Broker.Dispatch.cs (the R3
/// fan-out ack over bound targets and the retained store), Broker.Subscribe.cs (live
/// subscriptions, retained on subscribe, $share naming), Broker.Queues.cs (consume, fetch, implicit declares).
/// Thread-safe: every member may be called concurrently from any adapter thread.
/// </summary>
public sealed partial class Broker : IBroker
{
    private readonly BrokerOptions _options;
    private readonly IQueueStore _queues;
    private readonly IRetainedStore _retained;
    private readonly TimeProvider _time;
    private readonly ITopologyStore _topologyStore;
    private readonly IStreamTargetResolver _streams;
    private readonly TopologyRegistry _registry;
    private readonly TopicTree<LiveSubscription> _subscriptions;
    private readonly ConditionalWeakTable<ISubscriber, StrongBox<long>> _subscriberOrdinals = [];
    private readonly BrokerTopology _topology;
    private long _nextSubscriberOrdinal;
    private long _nextSubscriptionSequence;

    /// <summary>Creates the broker and loads the declared topology (queues, exchanges, bindings) from <paramref name="topologyStore"/>.</summary>
    /// <param name="options">Topic limits and routing settings; validated here.</param>
    /// <param name="queues">The queue store (bind targets, consumers).</param>
    /// <param name="retained">The retained-message store.</param>
    /// <param name="authorizer">The authorization hook (<see cref="AllowAllAuthorizer.Instance"/> for none).</param>
    /// <param name="timeProvider">Clock for message expiry (<see cref="TimeProvider.System"/>).</param>
    /// <param name="topologyStore">Durable declarations; null = <see cref="InMemoryTopologyStore"/> (nothing survives a restart).</param>
    /// <param name="streams">Resolves stream bind targets; null = no streams yet.</param>
    /// <param name="alarms">The host's resource alarms (shared with the adapters' publish gates); null = a private set.</param>
    public Broker(
        BrokerOptions options,
        IQueueStore queues,
        IRetainedStore retained,
        IBrokerAuthorizer authorizer,
        TimeProvider timeProvider,
        ITopologyStore? topologyStore = null,
        IStreamTargetResolver? streams = null,
        ResourceAlarms? alarms = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(queues);
        ArgumentNullException.ThrowIfNull(retained);
        ArgumentNullException.ThrowIfNull(authorizer);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();
        _options = options;
        _queues = queues;
        _retained = retained;
        Authorizer = authorizer;
        _time = timeProvider;
        _topologyStore = topologyStore ?? new InMemoryTopologyStore();
        _streams = streams ?? NullStreamTargetResolver.Instance;
        Alarms = alarms ?? new ResourceAlarms();
        _registry = new TopologyRegistry(ResolveTarget, options.TopicLimits, options.MatchCacheCapacity);
        _subscriptions = new TopicTree<LiveSubscription>(options.MatchCacheCapacity, LiveSubscriptionOrder.Instance, options.TopicLimits);
        _topology = new BrokerTopology(_registry, _queues, _topologyStore);
        _topology.Load(_topologyStore.Load());
    }

    public IBrokerAuthorizer Authorizer { get; }

    public IBrokerTopology Topology => _topology;

    public BrokerCounters Counters { get; } = new();

    /// <summary>Resource alarms the host raises (free disk, memory); see <see cref="ResourceAlarms"/>.</summary>
    public ResourceAlarms Alarms { get; }

    /// <summary>Live subscriptions right now.</summary>
    public int SubscriptionCount => _subscriptions.Count;

    /// <summary>The options this broker runs with.</summary>
    public BrokerOptions Options => _options;

    /// <summary>
    /// A deterministic queue name, in the safe alphabet <c>[A-Za-z0-9._-]</c>, for the MQTT shared subscription
    /// <c>$share/<paramref name="group"/>/<paramref name="filter"/></c>: adapters declare this queue, bind it to
    /// <paramref name="filter"/> on the default exchange and add each group member as a consumer. The readable
    /// part is truncated; a SHA-256 prefix of (group, filter) keeps distinct subscriptions distinct.
    /// </summary>
    public static string SharedSubscriptionQueueName(string group, string filter)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(filter);

        // [MQTT-4.8.2-1] [MQTT-4.8.2-2] a ShareName is non-empty and free of '/', '+' and '#'.
        if (group.Length == 0 || group.AsSpan().ContainsAny('/', '+', '#') || group.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException(Topic.Describe(TopicError.InvalidSharedSubscription), nameof(group));
        }

        var error = TopicFilter.Validate(filter, allowShared: false);
        if (error != TopicError.None)
        {
            throw new ArgumentException(Topic.Describe(error), nameof(filter));
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(group, "\0", filter)), digest);
        return $"share.{Safe(group, 32)}.{Safe(filter, 48)}.{Convert.ToHexStringLower(digest[..8])}";
    }

    internal void Unsubscribe(LiveSubscription subscription) => _subscriptions.Remove(subscription.Filter, subscription);

    private static string Safe(string text, int max)
    {
        var length = Math.Min(text.Length, max);
        return string.Create(length, text, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                var c = source[i];
                span[i] = char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : c == '/' ? '.' : '_';
            }
        });
    }

    private IMessageTarget? ResolveTarget(BindingTargetKind kind, string name) =>
        kind == BindingTargetKind.Queue ? EnsureQueue(name) : _streams.Resolve(name);

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
