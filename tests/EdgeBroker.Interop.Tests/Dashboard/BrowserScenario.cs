namespace EdgeBroker.Interop.Tests.Dashboard;

using System.Text.Json;
using EdgeBroker.Interop.Tests.Stomp;

/// <summary>
/// Runs one scenario of <c>tests/node/dashboard/scenario.js</c> (playwright-core driving the system Chromium)
/// against the dashboard of a broker, and knows where screenshots go: <c>artifacts/screenshots/&lt;test&gt;.png</c>
/// under the repository root.
/// </summary>
internal static class BrowserScenario
{
    public static string ScreenshotPath(string test)
    {
        var directory = Path.Combine(ExternalClient.RepositoryRoot, "artifacts", "screenshots");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, test + ".png");
    }

    public static ExternalClient Start(BrokerProcess broker, string scenario, string test, params string[] args) =>
        ExternalClient.StartNode("dashboard/scenario.js", [scenario, broker.BaseAddress.ToString(), ScreenshotPath(test), .. args]);

    public static async Task<JsonElement> RunAsync(BrokerProcess broker, string scenario, string test, params string[] args)
    {
        await using var browser = Start(broker, scenario, test, args);
        return await ResultAsync(browser);
    }

    /// <summary>The scenario's JSON result; fails when the page threw a script error.</summary>
    public static async Task<JsonElement> ResultAsync(ExternalClient browser)
    {
        var result = await browser.ResultAsync(TimeSpan.FromSeconds(90));
        Assert.Equal(0, result.GetProperty("pageErrors").GetArrayLength());
        return result;
    }
}
