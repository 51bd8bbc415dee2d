namespace EdgeBroker.Server.Tests;

using System.Net;
using System.Text.Json;

[Trait("Category", "Integration")]
public sealed class HealthEndpointTests
{
    [Fact]
    public async Task ReportsOkWithTheFsyncPolicyAndItsExposure()
    {
        await using var host = await TestBrokerHost.StartAsync("--fsync", "interval:100");

        var response = await host.Client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("ok", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal("interval:100", doc.RootElement.GetProperty("fsync").GetString());
        Assert.Contains("100 ms", doc.RootElement.GetProperty("powerLossExposure").GetString(), StringComparison.Ordinal);
        Assert.True(doc.RootElement.GetProperty("uptimeSeconds").GetDouble() >= 0);
    }

    [Fact]
    public async Task ReadOnlyLogMakesItDegradedWith503()
    {
        await using var host = await TestBrokerHost.StartAsync();
        host.Factory.LogReadOnly = true;

        var response = await host.Client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("degraded", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal("queues/orders", doc.RootElement.GetProperty("readOnlyLogs")[0].GetString());
    }
}
