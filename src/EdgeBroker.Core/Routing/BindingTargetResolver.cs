namespace EdgeBroker.Core.Routing;

/// <summary>Resolves the target a binding names (a queue or a stream); null when it does not exist.</summary>
public delegate IMessageTarget? BindingTargetResolver(BindingTargetKind kind, string name);
