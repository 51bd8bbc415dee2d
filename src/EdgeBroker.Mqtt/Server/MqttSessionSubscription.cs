namespace EdgeBroker.Mqtt.Server;

using EdgeBroker.Mqtt.Codec;

/// <summary>
/// One subscription of a session as the client asked for it (filter and v5 options). Immutable; kept in the
/// persisted session state so a persistent session gets it back after a restart.
/// For a shared subscription <see cref="Filter"/> is the full <c>$share/&lt;group&gt;/&lt;filter&gt;</c> form.
/// </summary>
public sealed record MqttSessionSubscription(string Filter, MqttQos Qos, bool NoLocal, bool RetainAsPublished, MqttRetainHandling RetainHandling, uint SubscriptionIdentifier)
{
    /// <summary>Set for <c>$share/…</c> subscriptions: the core queue the group competes on.</summary>
    public string? SharedQueue { get; init; }

    /// <summary>The filter without the <c>$share/&lt;group&gt;/</c> prefix (equal to <see cref="Filter"/> otherwise).</summary>
    public string InnerFilter { get; init; } = string.Empty;

    public bool IsShared => SharedQueue is not null;
}
