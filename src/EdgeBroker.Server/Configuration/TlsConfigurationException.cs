namespace EdgeBroker.Server.Configuration;

/// <summary>A TLS file named in configuration cannot be used; the message names the key, the file and why.</summary>
public sealed class TlsConfigurationException : Exception
{
    public TlsConfigurationException()
    {
    }

    public TlsConfigurationException(string message)
        : base(message)
    {
    }

    public TlsConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
