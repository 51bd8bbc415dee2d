namespace EdgeBroker.Benchmarks.Workloads;

using System.Globalization;
using EdgeBroker.Core.Topics;

/// <summary>
/// Matching against many <c>#</c> filters: 10,000 tenants each subscribed to <c>tenants/N/#</c> and
/// <c>tenants/N/devices/+/#</c>, plus <c>#</c>, <c>tenants/#</c> and <c>+/+/devices/#</c> monitors. A hit on
/// one tenant's device topic matches 5 filters. Uncached (the trie walk) and cached (the steady state).
/// Not thread-safe.
/// </summary>
public sealed class TopicWorkloads
{
    public const string HitTopic = "tenants/4242/devices/pump-7/telemetry/pressure";
    public const string MissTopic = "factory/line7/press/3";

    private readonly TopicTree<int> _uncached = new(cacheCapacity: 0);
    private readonly TopicTree<int> _cached = new();

    public TopicWorkloads(int tenants = 10_000)
    {
        var value = 0;
        for (var t = 0; t < tenants; t++)
        {
            var id = t.ToString(CultureInfo.InvariantCulture);
            Add($"tenants/{id}/#", value++);
            Add($"tenants/{id}/devices/+/#", value++);
        }

        foreach (var monitor in (string[])["#", "tenants/#", "+/+/devices/#"])
        {
            Add(monitor, value++);
        }

        _ = _cached.Match(HitTopic);
    }

    public int HitUncached() => _uncached.Match(HitTopic).Length;

    public int HitCached() => _cached.Match(HitTopic).Length;

    /// <summary>Only the root <c>#</c> matches a topic outside the tenants tree.</summary>
    public int MissUncached() => _uncached.Match(MissTopic).Length;

    private void Add(string filter, int value)
    {
        _uncached.Add(filter, value);
        _cached.Add(filter, value);
    }
}
