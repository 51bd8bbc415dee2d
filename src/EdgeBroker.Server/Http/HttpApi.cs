namespace EdgeBroker.Server.Http;

/// <summary>The log category of the HTTP API endpoints (<c>ILogger&lt;HttpApi&gt;</c>); events are in <see cref="Logging.HttpApiLog"/>.</summary>
internal sealed class HttpApi
{
    private HttpApi()
    {
    }
}
