namespace EdgeBroker.Core.Streams;

using EdgeBroker.Core.Routing;

/// <summary>
/// A stream's capture filters are its bindings on the default topic exchange (target kind
/// <see cref="BindingTargetKind.Stream"/>): every publish on any protocol whose topic matches is appended to the
/// stream exactly once, even when several of its filters match, because routing dedupes targets. Bindings of the stream on
/// other exchanges (declared through the API or configuration) are left alone. Stateless, thread-safe.
/// </summary>
public static class StreamCapture
{
    /// <summary>Binds every filter of <paramref name="declaration"/>; unbinds default-exchange bindings of the stream it no longer lists.</summary>
    public static void Apply(IBrokerTopology topology, StreamDeclaration declaration)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(declaration);
        foreach (var stale in topology.Bindings.Where(b => IsCapture(b, declaration.Name) && !declaration.Filters.Contains(b.Pattern, StringComparer.Ordinal)).ToList())
        {
            topology.Unbind(stale);
        }

        foreach (var filter in declaration.Filters)
        {
            topology.Bind(new BindingSpec(IBroker.DefaultExchange, filter, BindingTargetKind.Stream, declaration.Name));
        }
    }

    /// <summary>Unbinds every binding (on any exchange) whose target is the stream <paramref name="name"/>.</summary>
    public static void Remove(IBrokerTopology topology, string name)
    {
        ArgumentNullException.ThrowIfNull(topology);
        foreach (var binding in topology.Bindings.Where(b => b.TargetKind == BindingTargetKind.Stream && string.Equals(b.Target, name, StringComparison.Ordinal)).ToList())
        {
            topology.Unbind(binding);
        }
    }

    private static bool IsCapture(BindingSpec binding, string stream) =>
        binding.TargetKind == BindingTargetKind.Stream
        && string.Equals(binding.Exchange, IBroker.DefaultExchange, StringComparison.Ordinal)
        && string.Equals(binding.Target, stream, StringComparison.Ordinal);
}
