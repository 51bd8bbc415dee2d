namespace EdgeBroker.Server.Tests.Limits;

using System.Net;
using System.Text;
using EdgeBroker.Core.Broker;
using EdgeBroker.Server.Configuration;
using EdgeBroker.Server.Hosting;
using EdgeBroker.Server.Limits;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

[Trait("Category", "Unit")]
public sealed class MemoryWatermarkTests
{
    private readonly ResourceAlarms _alarms = new();

    [Fact]
    public void RaisesAtTheWatermarkOnlyWhenACollectionConfirmsIt()
    {
        var collected = 0;
        long cheap = 900, afterCollection = 700;
        var watermark = new MemoryWatermark(800, _alarms, NullLogger.Instance, full =>
        {
            collected += full ? 1 : 0;
            return full ? afterCollection : cheap;
        });

        watermark.Sample(); // 900 was garbage: 700 after a collection
        Assert.False(_alarms.MemoryAlarm);
        Assert.Equal(1, collected);
        Assert.Equal(700, watermark.UsedBytes);

        afterCollection = 850;
        watermark.Sample();
        Assert.True(_alarms.MemoryAlarm);
        Assert.Equal(850, watermark.UsedBytes);
        Assert.Contains("high watermark", _alarms.MemoryReason, StringComparison.Ordinal);
    }

    [Fact]
    public void ClearsWhenUseIsBackBelowTheWatermark()
    {
        long used = 1000;
        var watermark = new MemoryWatermark(800, _alarms, NullLogger.Instance, _ => used);
        watermark.Sample();
        Assert.True(_alarms.MemoryAlarm);

        used = 799;
        watermark.Sample();

        Assert.False(_alarms.MemoryAlarm);
        Assert.Null(_alarms.MemoryReason);
    }

    [Theory]
    [InlineData(5_000, 0.6, 1_000_000, 5_000)]
    [InlineData(0, 0.5, 1_000_000, 500_000)]
    [InlineData(0, 0, 1_000_000, 0)]
    public void TheWatermarkIsTheAbsoluteValueElseTheFractionOfAvailableMemory(long bytes, double fraction, long available, long expected)
    {
        Assert.Equal(expected, MemoryWatermark.Resolve(bytes, fraction, available));
    }

    [Theory]
    [InlineData("PublishMessagesPerSecond", "-1")]
    [InlineData("PublishBurstMessages", "-1")]
    [InlineData("MemoryHighWatermarkBytes", "-1")]
    [InlineData("MemoryHighWatermarkFraction", "1.5")]
    [InlineData("MemoryCheckIntervalMs", "0")]
    public void InvalidLimitsAreRefusedNamingTheKey(string key, string value)
    {
        var options = new EdgeBrokerOptions();
        typeof(LimitsSettings).GetProperty(key)!.SetValue(options.Limits, Convert.ChangeType(value, typeof(LimitsSettings).GetProperty(key)!.PropertyType, System.Globalization.CultureInfo.InvariantCulture));
        var result = new EdgeBrokerOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("EdgeBroker:Limits:" + key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task HttpPublishesAreRefusedWith503WhileTheMemoryAlarmIsOn()
    {
        // The monitor is off (fraction 0) so only this test raises and clears the alarm.
        await using var host = await TestBrokerHost.StartAsync("--EdgeBroker:Limits:MemoryHighWatermarkFraction=0");
        var alarms = host.Services.GetRequiredService<BrokerAccessor>().Alarms;
        alarms.RaiseMemoryAlarm("memory alarm: test");

        using var refused = await host.Client.PostAsync("/api/publish", new StringContent("{\"topic\":\"a/b\",\"payload\":\"x\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), refused.Headers.RetryAfter?.Delta);
        Assert.Contains("memory alarm: test", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("edgebroker_memory_alarm 1", await host.Client.GetStringAsync("/metrics"), StringComparison.Ordinal);

        alarms.ClearMemoryAlarm();
        using var accepted = await host.Client.PostAsync("/api/publish", new StringContent("{\"topic\":\"a/b\",\"payload\":\"x\"}", Encoding.UTF8, "application/json"));
        Assert.NotEqual(HttpStatusCode.ServiceUnavailable, accepted.StatusCode);
        Assert.Contains("edgebroker_memory_alarm 0", await host.Client.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAdaptersShareTheHostsAlarmsAndConfiguredRate()
    {
        await using var host = await TestBrokerHost.StartAsync("--EdgeBroker:Limits:PublishMessagesPerSecond=50");
        var publishing = host.Services.GetRequiredService<Core.Limits.PublishLimits>();

        Assert.Same(host.Services.GetRequiredService<BrokerAccessor>().Alarms, publishing.Alarms);
        Assert.Equal(50, publishing.MessagesPerSecond);
        Assert.Same(publishing, host.Services.GetRequiredService<Mqtt.Server.MqttServer>().Options.Publishing);
    }
}
