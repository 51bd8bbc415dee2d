namespace EdgeBroker.Interop.Tests.Dashboard;

using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeBroker.Interop.Tests.Mqtt;
using EdgeBroker.Interop.Tests.Stomp;

/// <summary>
/// The web dashboard in headless Chromium against the real broker process: it opens with live numbers, shows a
/// value published with mosquitto_pub, publishes to a stomp.py subscriber, and charts values read back from a
/// stream. Every test leaves a screenshot in artifacts/screenshots/.
/// </summary>
[Trait("Category", "Interop")]
public sealed class DashboardTests(DashboardBrokerFixture fixture) : IClassFixture<DashboardBrokerFixture>
{
    [Fact]
    public async Task DashboardOpensWithLiveOverviewNumbers()
    {
        using var http = new HttpClient { BaseAddress = fixture.Broker.BaseAddress };
        using var page = await http.GetAsync(new Uri("/", UriKind.Relative));
        page.EnsureSuccessStatusCode();
        Assert.Contains("<main id=\"main\">", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Traffic while the page is open, so the rates and charts have something to show (and the README
        // screenshot is not an empty dashboard). It stops when the scenario has seen the numbers.
        using var traffic = new CancellationTokenSource();
        var publisher = PublishTrafficAsync(http, traffic.Token);
        JsonElement result;
        try
        {
            var docs = Path.Combine(ExternalClient.RepositoryRoot, "docs");
            Directory.CreateDirectory(docs);
            result = await BrowserScenario.RunAsync(fixture.Broker, "overview", nameof(DashboardOpensWithLiveOverviewNumbers), Path.Combine(docs, "dashboard.png"));
        }
        finally
        {
            await traffic.CancelAsync();
            await publisher;
        }

        Assert.Equal("connected", result.GetProperty("hub").GetString());
        var stats = result.GetProperty("stats");
        Assert.True(int.Parse(stats.GetProperty("connections").GetString()!, CultureInfo.InvariantCulture) >= 1); // at least the page's own SignalR connection
        Assert.Matches(@"^\d\d:\d\d:\d\d$", stats.GetProperty("uptime").GetString());
        Assert.True(long.Parse(stats.GetProperty("messagesIn").GetString()!, NumberStyles.AllowThousands, CultureInfo.InvariantCulture) > 0);
        Assert.Matches(@"^\d", stats.GetProperty("storage").GetString());
        Assert.True(result.GetProperty("chartPoints").GetInt32() >= 12); // six samples of both series
        Assert.Empty(fixture.Broker.ErrorLines());
    }

    [Fact]
    public async Task ValuePublishedWithMosquittoPubAppearsInTheTopicExplorer()
    {
        const string topic = "dash/explorer/room7/temp";
        const string payload = "{\"value\":22.5,\"unit\":\"C\"}";
        await using var browser = BrowserScenario.Start(fixture.Broker, "topic", nameof(ValuePublishedWithMosquittoPubAppearsInTheTopicExplorer), topic, payload);
        await browser.WaitForLineAsync("READY", TimeSpan.FromSeconds(90)); // page open, hub connected, "#" subscribed

        await ExternalProcess.RunAsync("mosquitto_pub", ["-h", "127.0.0.1", "-p", fixture.MqttPort, "-q", "1", "-t", topic, "-m", payload]);

        var result = await BrowserScenario.ResultAsync(browser);
        Assert.Equal("connected", result.GetProperty("hub").GetString());
        Assert.Equal(payload, result.GetProperty("value").GetString());
        Assert.Equal("1", result.GetProperty("count").GetString());
        Assert.Equal(topic, result.GetProperty("detailTopic").GetString());
        Assert.Contains("\"value\": 22.5", result.GetProperty("payload").GetString(), StringComparison.Ordinal); // pretty-printed JSON
    }

    [Fact]
    public async Task MessagePublishedFromTheConsoleReachesAStompPySubscriber()
    {
        await using var subscriber = ExternalClient.StartPython("dashboard_subscriber.py", "127.0.0.1", fixture.StompPort, "/topic/dash/console/+", "1", "90");
        await subscriber.WaitForLineAsync("READY", TimeSpan.FromSeconds(30));

        var result = await BrowserScenario.RunAsync(fixture.Broker, "publish", nameof(MessagePublishedFromTheConsoleReachesAStompPySubscriber), "dash/console/out", "{\"hello\":\"stomp\"}");
        Assert.True(result.GetProperty("ok").GetBoolean(), result.GetProperty("outcome").GetString());

        var received = await subscriber.ResultAsync();
        var message = Assert.Single(received.GetProperty("messages").EnumerateArray());
        Assert.Equal("{\"hello\":\"stomp\"}", message.GetProperty("body").GetString());
        Assert.Equal("/topic/dash/console/out", message.GetProperty("headers").GetProperty("destination").GetString());
        Assert.Equal("application/json", message.GetProperty("headers").GetProperty("content-type").GetString());
    }

    [Fact]
    public async Task HistoryChartDrawsValuesReadBackFromAStream()
    {
        const string topic = "dash/history/temp";
        double[] values = [20.5, 21, 21.75, 22.25, 21.5, 20.75, 23.25, 22];
        using var http = new HttpClient { BaseAddress = fixture.Broker.BaseAddress };
        for (var i = 0; i < values.Length; i++)
        {
            // Keys spread the records over both partitions; the chart merges them by time.
            using var response = await http.PostAsJsonAsync("api/publish", new { topic, payload = values[i].ToString(CultureInfo.InvariantCulture), key = "k" + i });
            response.EnsureSuccessStatusCode();
        }

        // A non-numeric record on the same topic and a numeric one on another topic are left out.
        (await http.PostAsJsonAsync("api/publish", new { topic, payload = "offline" })).Dispose();
        (await http.PostAsJsonAsync("api/publish", new { topic = "dash/history/other", payload = "99" })).Dispose();

        var result = await BrowserScenario.RunAsync(fixture.Broker, "history", nameof(HistoryChartDrawsValuesReadBackFromAStream), topic, values.Length.ToString(CultureInfo.InvariantCulture));
        Assert.Equal("hub", result.GetProperty("source").GetString()); // read through the hub's readStream
        Assert.Equal(values.Length, result.GetProperty("points").GetInt32());
        Assert.Equal(DashboardBrokerFixture.HistoryStream, result.GetProperty("stream").GetString());
        // Records of different partitions may share a millisecond, so "last" is not asserted.
        Assert.StartsWith("8 values · min 20.5 · max 23.25 · last ", result.GetProperty("info").GetString(), StringComparison.Ordinal);
    }

    private static async Task PublishTrafficAsync(HttpClient http, CancellationToken cancel)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var n = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(cancel))
            {
                using var response = await http.PostAsJsonAsync("api/publish", new { topic = $"dash/overview/{n % 4}", payload = $"{{\"value\":{n++}}}", qos = 0 }, cancel);
            }
        }
        catch (OperationCanceledException)
        {
            // The scenario finished.
        }
    }
}
