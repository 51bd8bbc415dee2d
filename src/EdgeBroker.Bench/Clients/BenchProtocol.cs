namespace EdgeBroker.Bench.Clients;

public enum BenchProtocol
{
    Mqtt311 = 0,
    Mqtt5 = 1,
    Stomp = 2,
}

public enum StompAckMode
{
    Auto = 0,
    Client = 1,
    ClientIndividual = 2,
}

/// <summary>Where and as whom clients connect. Immutable.</summary>
public sealed record ClientSettings(string Host, int MqttPort, int StompPort, string? Username, string? Password, string StompHost);
