namespace EdgeBroker.Core.Routing;

/// <summary>
/// Binding identity: exchange, pattern, target kind and name (all ordinal) and the header arguments by
/// content (the record's own equality compares the dictionary by reference). Stateless, thread-safe.
/// </summary>
public sealed class BindingSpecComparer : IEqualityComparer<BindingSpec>
{
    public static BindingSpecComparer Instance { get; } = new();

    public bool Equals(BindingSpec? x, BindingSpec? y)
    {
        if (ReferenceEquals(x, y))
        {
            return true;
        }

        if (x is null || y is null)
        {
            return false;
        }

        return string.Equals(x.Exchange, y.Exchange, StringComparison.Ordinal)
            && string.Equals(x.Pattern, y.Pattern, StringComparison.Ordinal)
            && x.TargetKind == y.TargetKind
            && string.Equals(x.Target, y.Target, StringComparison.Ordinal)
            && SameArguments(x.HeaderArguments, y.HeaderArguments);
    }

    public int GetHashCode(BindingSpec obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var hash = HashCode.Combine(
            StringComparer.Ordinal.GetHashCode(obj.Exchange),
            StringComparer.Ordinal.GetHashCode(obj.Pattern),
            obj.TargetKind,
            StringComparer.Ordinal.GetHashCode(obj.Target));
        if (obj.HeaderArguments is { } args)
        {
            // Order-independent: XOR of the pairs.
            var pairs = 0;
            foreach (var (name, value) in args)
            {
                pairs ^= HashCode.Combine(StringComparer.Ordinal.GetHashCode(name), StringComparer.Ordinal.GetHashCode(value));
            }

            hash = HashCode.Combine(hash, pairs);
        }

        return hash;
    }

    private static bool SameArguments(IReadOnlyDictionary<string, string>? x, IReadOnlyDictionary<string, string>? y)
    {
        var xCount = x?.Count ?? 0;
        var yCount = y?.Count ?? 0;
        if (xCount != yCount)
        {
            return false;
        }

        if (xCount == 0)
        {
            return true;
        }

        foreach (var (name, value) in x!)
        {
            if (!y!.TryGetValue(name, out var other) || !string.Equals(value, other, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
