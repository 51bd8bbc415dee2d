namespace EdgeBroker.Interop.Tests;

using System.Net.Http.Json;
using System.Text.Json;

/// <summary>SIGTERM stops the real server cleanly: exit code 0, stores closed with clean-shutdown markers, data kept.</summary>
[Trait("Category", "Integration")]
public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task SigtermClosesTheStoresCleanlyAndKeepsTheMessages()
    {
        await using var broker = new BrokerProcess(["--EdgeBroker:Queues:0:Name=keep"]);
        await broker.StartAsync();
        using (var http = new HttpClient { BaseAddress = broker.BaseAddress })
        {
            using var response = await http.PostAsJsonAsync("api/publish", new { queue = "keep", payload = "still here" });
            response.EnsureSuccessStatusCode();
        }

        var exit = await broker.StopGracefullyAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, exit);
        Assert.Contains("Storage closed cleanly", broker.ReadLog(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(broker.DataDirectory, "topology", "clean-shutdown")), "the topology log wrote its clean-shutdown marker");

        await broker.StartAsync();
        using var again = new HttpClient { BaseAddress = broker.BaseAddress };
        using var fetched = await again.PostAsync("api/queues/keep/get?count=10", null);
        using var messages = JsonDocument.Parse(await fetched.Content.ReadAsStringAsync());
        Assert.Equal("still here", Assert.Single(messages.RootElement.EnumerateArray()).GetProperty("payload").GetString());
        Assert.Contains("clean=True", broker.ReadLog(), StringComparison.Ordinal);
        Assert.Empty(broker.ErrorLines());
    }
}
