namespace EdgeBroker.Core.Routing;

/// <summary>Values reach configuration and disk; keep them stable.</summary>
public enum ExchangeType
{
    /// <summary>Patterns are MQTT topic filters (<c>+</c>, <c>#</c>).</summary>
    Topic = 0,
    /// <summary>Patterns are exact topics.</summary>
    Direct = 1,
    /// <summary>Every binding gets every message.</summary>
    Fanout = 2,
    /// <summary>Bindings match on message headers (<c>x-match: all|any</c>).</summary>
    Headers = 3,
}

/// <summary>What a binding delivers to.</summary>
public enum BindingTargetKind
{
    Queue = 0,
    Stream = 1,
}

/// <summary>
/// exchange + pattern → target. For headers exchanges <see cref="Pattern"/> is unused and
/// <see cref="HeaderArguments"/> holds the name/value pairs plus <c>x-match</c>.
/// </summary>
public sealed record BindingSpec(string Exchange, string Pattern, BindingTargetKind TargetKind, string Target, IReadOnlyDictionary<string, string>? HeaderArguments = null);

public sealed record ExchangeInfo(string Name, ExchangeType Type, int Bindings, bool IsDefault);
