namespace EdgeBroker.Server.Hub;

using EdgeBroker.Server.Logging;
using Microsoft.AspNetCore.SignalR;

/// <summary>
/// Logs hub invocation failures once, at the right level: a <see cref="HubException"/> is an answer to the
/// client ("not authorized: …", "invalid filter: …") and goes to Debug; anything else is a bug and goes to Error.
/// SignalR's own dispatcher would log both at Error (its category is filtered out in <see cref="HubEndpoints"/>),
/// which would make expected refusals look like broker faults. The exception is rethrown either way, so the
/// client still gets its error. Stateless.
/// </summary>
internal sealed class HubErrorFilter(ILogger<BrokerHub> logger) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        ArgumentNullException.ThrowIfNull(invocationContext);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(invocationContext).ConfigureAwait(false);
        }
        catch (HubException ex)
        {
            HubLog.InvocationRefused(logger, invocationContext.Context.ConnectionId, invocationContext.HubMethodName, ex.Message);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            HubLog.InvocationFailed(logger, ex, invocationContext.Context.ConnectionId, invocationContext.HubMethodName);
            throw;
        }
    }
}
