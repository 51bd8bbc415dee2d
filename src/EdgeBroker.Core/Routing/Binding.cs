namespace EdgeBroker.Core.Routing;

/// <summary>
/// A declared binding and the target it resolved to. <see cref="Target"/> is null while the target cannot be
/// resolved (a stream binding loaded before streams exist): such a binding is kept and listed but routes nowhere.
/// Equality is the binding's identity (<see cref="BindingSpecComparer"/>), not the target. Immutable.
/// </summary>
public sealed class Binding : IEquatable<Binding>
{
    public Binding(BindingSpec spec, IMessageTarget? target)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Spec = spec;
        Target = target;
    }

    public BindingSpec Spec { get; }

    public IMessageTarget? Target { get; }

    public bool Equals(Binding? other) => other is not null && BindingSpecComparer.Instance.Equals(Spec, other.Spec);

    public override bool Equals(object? obj) => Equals(obj as Binding);

    public override int GetHashCode() => BindingSpecComparer.Instance.GetHashCode(Spec);

    public override string ToString() => $"{Spec.Exchange} '{Spec.Pattern}' -> {Spec.TargetKind}:{Spec.Target}";
}
