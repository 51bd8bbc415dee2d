namespace EdgeBroker.Server.Hosting;

/// <summary>The broker cannot start (data directory unusable, topology rejected). The message is shown to the operator as is.</summary>
public sealed class BrokerStartupException : Exception
{
    public BrokerStartupException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    public BrokerStartupException()
    {
    }

    public BrokerStartupException(string message)
        : base(message)
    {
    }
}
