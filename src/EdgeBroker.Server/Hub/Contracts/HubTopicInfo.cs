namespace EdgeBroker.Server.Hub.Contracts;

/// <summary>One item of <c>listTopics</c>: a topic with its last known value.</summary>
public sealed record HubTopicInfo(string Topic, string Payload, string Encoding, string? ContentType, long Timestamp, bool Retained);
