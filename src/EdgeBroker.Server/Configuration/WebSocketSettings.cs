namespace EdgeBroker.Server.Configuration;

/// <summary>
/// The <c>EdgeBroker:WebSockets</c> section: which browser origins may open a WebSocket (or call the hub) on
/// <c>/mqtt</c>, <c>/stomp</c> and <c>/hubs/…</c>. Not ASP.NET's allow-all default (RELIABILITY.md "WebSocket").
/// </summary>
public sealed class WebSocketSettings
{
    /// <summary>
    /// Origins (<c>https://app.example.com</c>, <c>http://10.0.0.5:3000</c>) allowed besides the broker's own origin.
    /// Empty (default): same origin, plus pages served from loopback (<c>http://localhost:5173</c>). <c>*</c> allows all.
    /// </summary>
    public IList<string> AllowedOrigins { get; } = [];

    /// <summary>Adds one failure per entry that is neither <c>*</c> nor an http(s) origin without a path.</summary>
    public static void Validate(WebSocketSettings settings, List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(failures);
        for (var i = 0; i < settings.AllowedOrigins.Count; i++)
        {
            var origin = settings.AllowedOrigins[i];
            if (origin != "*" && NormalizeOrigin(origin) is null)
            {
                failures.Add($"EdgeBroker:WebSockets:AllowedOrigins:{i} '{origin}' must be '*' or an origin like https://app.example.com[:port] (no path).");
            }
        }
    }

    /// <summary><c>scheme://host[:port]</c> lower-cased with the default port dropped, as browsers send it; null if not an origin.</summary>
    public static string? NormalizeOrigin(string? origin)
    {
        if (!Uri.TryCreate(origin?.TrimEnd('/'), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.AbsolutePath != "/"
            || uri.Query.Length > 0
            || uri.UserInfo.Length > 0)
        {
            return null;
        }

        return uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
    }
}
