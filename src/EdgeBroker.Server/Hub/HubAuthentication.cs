namespace EdgeBroker.Server.Hub;

using System.Net.Http.Headers;
using System.Text;
using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Security;
using EdgeBroker.Server.Hosting;
using EdgeBroker.Server.Logging;

/// <summary>
/// Hub connections go through the same hook as MQTT CONNECT and STOMP CONNECT (<see cref="IBrokerAuthorizer"/>).
/// Credentials are <c>user:password</c> in base64, given as <c>Authorization: Basic …</c>, as
/// <c>Authorization: Bearer …</c> (what <c>@microsoft/signalr</c>'s <c>accessTokenFactory</c> sends on HTTP
/// requests) or as <c>?access_token=…</c> (what it sends on WebSocket and SSE requests, where browsers cannot set
/// headers). No credentials = anonymous, which the hook accepts only where anonymous is allowed.
/// The middleware answers 401 on negotiate and on connect requests, before any transport starts; the hub checks
/// again when the connection starts, to bind the identity to the connection id. Stateless.
/// </summary>
internal static class HubAuthentication
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Refuses unauthenticated requests under <paramref name="path"/> (negotiate and every transport request).</summary>
    public static void Use(WebApplication app, string path)
    {
        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments(path, StringComparison.OrdinalIgnoreCase))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            var accessor = context.RequestServices.GetRequiredService<BrokerAccessor>();
            if (!accessor.TryGetBroker(out var broker))
            {
                await Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Broker unavailable", detail: "The broker is starting or shutting down.")
                    .ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            var result = await AuthenticateAsync(context, broker.Authorizer, "signalr", context.RequestAborted).ConfigureAwait(false);
            if (result.Succeeded)
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            var logger = context.RequestServices.GetRequiredService<ILogger<BrokerHub>>();
            HubLog.Refused(logger, context.Connection.RemoteIpAddress?.ToString(), result.Outcome.ToString());
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"EdgeBroker\", charset=\"UTF-8\"";
            await Results.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Authentication required",
                detail: "The broker hub needs valid credentials (HTTP Basic, or access_token=base64(user:password)).")
                .ExecuteAsync(context).ConfigureAwait(false);
        });
    }

    /// <summary>Authenticates the request's credentials (or anonymous) as <paramref name="clientId"/>.</summary>
    public static async ValueTask<AuthenticationResult> AuthenticateAsync(HttpContext context, IBrokerAuthorizer authorizer, string clientId, CancellationToken cancellationToken)
    {
        var remote = context.Connection.RemoteIpAddress?.ToString();
        if (!TryReadCredentials(context.Request, out var user, out var password))
        {
            return new AuthenticationResult(AuthenticationOutcome.BadCredentials, null);
        }

        var request = new AuthenticationRequest(ProtocolKind.SignalR, clientId, user, password, remote);
        return await authorizer.AuthenticateAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The user and password of the request; user null when none were given. False when credentials were given
    /// but cannot be read (bad base64, no colon): those are refused, never downgraded to anonymous.
    /// </summary>
    internal static bool TryReadCredentials(HttpRequest request, out string? user, out byte[] password)
    {
        user = null;
        password = [];
        string? token = null;
        if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            && (string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)))
        {
            token = header.Parameter;
        }
        else if (request.Query.TryGetValue("access_token", out var query) && query.Count > 0)
        {
            token = query[0];
        }

        if (string.IsNullOrEmpty(token))
        {
            return true;
        }

        string credentials;
        try
        {
            credentials = StrictUtf8.GetString(Convert.FromBase64String(token));
        }
        catch (Exception ex) when (ex is FormatException or DecoderFallbackException)
        {
            return false;
        }

        var colon = credentials.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        user = credentials[..colon];
        password = Encoding.UTF8.GetBytes(credentials[(colon + 1)..]);
        return true;
    }
}
