namespace EdgeBroker.Server.Http;

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Security;
using EdgeBroker.Server.Configuration;
using EdgeBroker.Server.Hosting;
using Microsoft.Extensions.Options;

/// <summary>
/// When HTTP listens beyond loopback, every request from another host except <c>/healthz</c> and the SignalR hub
/// (which authenticates through the broker hook itself) needs HTTP Basic
/// credentials of a user named in <c>Security:AdminUsers</c> (RELIABILITY.md: the API, dashboard and
/// /metrics are loopback-only or authenticated). Requests from loopback stay open so local tooling works.
/// Answers 401 with <c>WWW-Authenticate</c> and a problem document; never says whether the user exists.
/// Thread-safety: stateless middleware over the thread-safe authorizer.
/// </summary>
internal static class AdminAuthentication
{
    public static void Use(WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<EdgeBrokerOptions>>();
        app.Use(async (context, next) =>
        {
            if (!SecurityComposition.HttpRequiresAdmin(options.Value)
                || context.Request.Path.StartsWithSegments("/healthz", StringComparison.Ordinal)
                // The hub authenticates its own users through the broker's hook (any user, not only admins).
                || context.Request.Path.StartsWithSegments(Hub.HubEndpoints.Path, StringComparison.Ordinal)
                || context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote)
                || await IsAdminAsync(context, options.Value.Security).ConfigureAwait(false))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            context.Response.Headers.WWWAuthenticate = "Basic realm=\"EdgeBroker\", charset=\"UTF-8\"";
            await Results.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Authentication required",
                detail: "This broker's HTTP API is reachable from the network: sign in as one of EdgeBroker:Security:AdminUsers.")
                .ExecuteAsync(context).ConfigureAwait(false);
        });
    }

    private static async ValueTask<bool> IsAdminAsync(HttpContext context, SecuritySettings security)
    {
        if (!AuthenticationHeaderValue.TryParse(context.Request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || header.Parameter is null)
        {
            return false;
        }

        string credentials;
        try
        {
            credentials = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = credentials.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || security.UsersFile is null)
        {
            return false;
        }

        var user = credentials[..colon];
        var accessor = context.RequestServices.GetRequiredService<BrokerAccessor>();
        if (accessor.Runtime?.Broker.Authorizer is not { } authorizer)
        {
            return false;
        }

        var request = new AuthenticationRequest(ProtocolKind.Http, "http", user, Encoding.UTF8.GetBytes(credentials[(colon + 1)..]), context.Connection.RemoteIpAddress?.ToString());
        var result = await authorizer.AuthenticateAsync(request, context.RequestAborted).ConfigureAwait(false);
        return result.Succeeded && security.AdminUsers.Contains(user, StringComparer.Ordinal);
    }
}
