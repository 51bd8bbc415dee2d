namespace EdgeBroker.Core.Routing;

using System.Runtime.InteropServices;

/// <summary>
/// The distinct targets one publish reaches. Exchanges add to it; a target bound twice (or matched by two
/// overlapping patterns) is kept once. Reusable: <see cref="Clear"/> keeps the buffers so a pooled instance
/// routes without allocating. Not thread-safe: one publish at a time.
/// </summary>
public sealed class RouteTargets
{
    // Up to this many targets a linear reference scan beats hashing; past it a set keeps dedupe O(1).
    private const int LinearScanLimit = 8;

    private readonly List<IMessageTarget> _targets = [];
    private HashSet<IMessageTarget>? _seen;

    public int Count => _targets.Count;

    public IMessageTarget this[int index] => _targets[index];

    /// <summary>The targets in the order first added.</summary>
    public ReadOnlySpan<IMessageTarget> AsSpan() => CollectionsMarshal.AsSpan(_targets);

    /// <summary>Adds the target unless already present (by reference); false when it was a duplicate.</summary>
    public bool Add(IMessageTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (_seen is not null)
        {
            if (!_seen.Add(target))
            {
                return false;
            }
        }
        else
        {
            foreach (var existing in CollectionsMarshal.AsSpan(_targets))
            {
                if (ReferenceEquals(existing, target))
                {
                    return false;
                }
            }

            if (_targets.Count == LinearScanLimit)
            {
                _seen = new HashSet<IMessageTarget>(_targets, ReferenceEqualityComparer.Instance);
                _seen.Add(target);
            }
        }

        _targets.Add(target);
        return true;
    }

    public void Clear()
    {
        _targets.Clear();
        _seen?.Clear();
        _seen = null;
    }
}
