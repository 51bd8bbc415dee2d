namespace EdgeBroker.Server.Configuration;

using EdgeBroker.Core.Routing;

/// <summary>One entry of <c>EdgeBroker:Exchanges</c>.</summary>
public sealed class ExchangeSettings
{
    public string Name { get; set; } = "";

    public ExchangeType Type { get; set; } = ExchangeType.Topic;
}
