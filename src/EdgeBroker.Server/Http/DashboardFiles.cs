namespace EdgeBroker.Server.Http;

using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

/// <summary>
/// Serves the web dashboard (web/, built into <c>wwwroot/</c> next to the server assembly by Dashboard.targets)
/// at <c>/</c>. Only existing files are served and the protocol and API prefixes are never looked up, so the
/// dashboard cannot shadow <c>/api</c>, <c>/hubs</c>, <c>/mqtt</c>, <c>/stomp</c>, <c>/metrics</c> or
/// <c>/healthz</c>; there is no catch-all fallback (the dashboard routes with the URL hash). A build without
/// the dashboard (no wwwroot/index.html) simply has no pages.
/// </summary>
internal static class DashboardFiles
{
    private static readonly string[] ReservedPrefixes = ["/api", "/hubs", "/mqtt", "/stomp", "/metrics", "/healthz", "/openapi"];

    public static void Use(WebApplication app)
    {
        var root = Path.Combine(app.Environment.ContentRootPath, "wwwroot");
        if (!File.Exists(Path.Combine(root, "index.html")))
        {
            return;
        }

        var files = new PhysicalFileProvider(root);
        app.UseWhen(
            context => !IsReserved(context.Request.Path),
            branch =>
            {
                branch.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
                branch.UseStaticFiles(new StaticFileOptions
                {
                    FileProvider = files,

                    // File names carry no content hash: let browsers keep them but revalidate (ETag) on every load,
                    // so a broker upgrade is picked up at once.
                    OnPrepareResponse = file => file.Context.Response.Headers[HeaderNames.CacheControl] = "no-cache",
                });
            });
    }

    internal static bool IsReserved(PathString path)
    {
        foreach (var prefix in ReservedPrefixes)
        {
            if (path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
