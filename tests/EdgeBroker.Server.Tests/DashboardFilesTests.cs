namespace EdgeBroker.Server.Tests;

using System.Net;

/// <summary>
/// The dashboard (web/dist, copied into the build output as wwwroot/ by Dashboard.targets) is served at / and
/// never shadows the API or protocol endpoints.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DashboardFilesTests
{
    [Fact]
    public async Task ServesTheDashboardAtTheRoot()
    {
        await using var host = await TestBrokerHost.StartAsync();

        var page = await host.Client.GetAsync("/");
        var script = await host.Client.GetAsync("/app.js");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<script type=\"module\" src=\"app.js\"></script>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("no-cache", page.Headers.CacheControl?.ToString());
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    [Theory]
    [InlineData("/api/no-such-endpoint")]
    [InlineData("/api/index.html")]
    [InlineData("/hubs/index.html")]
    [InlineData("/metrics/index.html")]
    [InlineData("/healthz/app.js")]
    public async Task NeverAnswersReservedPrefixesWithDashboardFiles(string path)
    {
        await using var host = await TestBrokerHost.StartAsync();

        var response = await host.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("<!doctype html>", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/api", true)]
    [InlineData("/API/queues", true)]
    [InlineData("/stomp", true)]
    [InlineData("/mqtt", true)]
    [InlineData("/apiary.js", false)]
    [InlineData("/app.js", false)]
    [InlineData("/", false)]
    public void ReservedPrefixesAreWholeSegments(string path, bool reserved) =>
        Assert.Equal(reserved, EdgeBroker.Server.Http.DashboardFiles.IsReserved(path));
}
