namespace EdgeBroker.Server.Http.Contracts;

/// <summary>The acknowledgement of an HTTP publish: every durable target accepted it (R3).</summary>
public sealed record PublishResponse(string Outcome, int DurableTargets, int LiveDeliveries);
