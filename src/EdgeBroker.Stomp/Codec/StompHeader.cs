namespace EdgeBroker.Stomp.Codec;

/// <summary>One decoded (unescaped) header. Names are case-sensitive, as in the STOMP spec.</summary>
public readonly record struct StompHeader(string Name, string Value);
