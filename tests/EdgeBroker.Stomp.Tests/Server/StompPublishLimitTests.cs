namespace EdgeBroker.Stomp.Tests.Server;

using System.Text;
using EdgeBroker.Core.Broker;
using EdgeBroker.Core.Limits;
using EdgeBroker.Core.Security;
using EdgeBroker.Stomp.Codec;
using EdgeBroker.Stomp.Server;

/// <summary>The publish gate in the STOMP read loop (memory alarm, message rate) and flapping detection.</summary>
[Trait("Category", "Conformance")]
public sealed class StompPublishLimitTests
{
    private readonly ResourceAlarms _alarms = new();

    private StompServerOptions Gated(double rate = 0, double burst = 0) =>
        new() { ErrorLinger = TimeSpan.FromMilliseconds(50), Publishing = new PublishLimits(_alarms, rate, burst, TimeProvider.System) };

    [Fact]
    public async Task TheMemoryAlarmHoldsASenderWhileConsumersAreStillServed()
    {
        await using var broker = new StompTestBroker(Gated());
        await using var consumer = await broker.ConnectedAsync("consumer");
        await consumer.SendAsync("SUBSCRIBE", [("id", "s1"), ("destination", "/topic/plant/#"), ("receipt", "sub-1")]);
        await consumer.ExpectAsync(StompCommand.Receipt);
        await using var sender = await broker.ConnectedAsync("sender");
        _alarms.RaiseMemoryAlarm("memory alarm: test");

        await sender.SendAsync("SEND", [("destination", "/topic/plant/1"), ("receipt", "r1")], "held");
        await sender.SendAsync("SEND", [("destination", "/topic/plant/1"), ("receipt", "r2")], "next");

        await Assert.ThrowsAsync<TimeoutException>(() => sender.TryReceiveAsync(TimeSpan.FromMilliseconds(300)));
        await Assert.ThrowsAsync<TimeoutException>(() => consumer.TryReceiveAsync(TimeSpan.FromMilliseconds(50)));
        await consumer.SendAsync("SUBSCRIBE", [("id", "s2"), ("destination", "/topic/other"), ("receipt", "sub-2")]);
        Assert.Equal("sub-2", (await consumer.ExpectAsync(StompCommand.Receipt)).Get("receipt-id"));

        _alarms.ClearMemoryAlarm();

        Assert.Equal("r1", (await sender.ExpectAsync(StompCommand.Receipt)).Get("receipt-id"));
        Assert.Equal("r2", (await sender.ExpectAsync(StompCommand.Receipt)).Get("receipt-id"));
        Assert.Equal("held", Encoding.UTF8.GetString((await consumer.ExpectAsync(StompCommand.Message)).Body.Span));
        Assert.Equal("next", Encoding.UTF8.GetString((await consumer.ExpectAsync(StompCommand.Message)).Body.Span));
    }

    [Fact]
    [Trait("Spec", "STOMP-1.2-Heart-beating")]
    public async Task AHeldSenderIsNotClosedForMissingHeartBeats()
    {
        var options = Gated() with { HeartbeatSendMs = 0, HeartbeatReceiveMs = 200, HeartbeatTolerance = 1.5 };
        await using var broker = new StompTestBroker(options);
        await using var sender = await broker.ConnectedAsync("sender", heartBeat: "200,0");
        _alarms.RaiseMemoryAlarm("memory alarm: test");

        await sender.SendAsync("SEND", [("destination", "/queue/jobs"), ("receipt", "r1")], "held");
        await Assert.ThrowsAsync<TimeoutException>(() => sender.TryReceiveAsync(TimeSpan.FromMilliseconds(1000))); // over 3 × 300 ms

        _alarms.ClearMemoryAlarm();
        Assert.Equal("r1", (await sender.ExpectAsync(StompCommand.Receipt)).Get("receipt-id"));
        await sender.SendRawAsync("\n");
        await sender.SendAsync("DISCONNECT", [("receipt", "bye")]);
        Assert.Equal("bye", (await sender.ExpectAsync(StompCommand.Receipt)).Get("receipt-id"));
    }

    [Fact]
    public async Task ASenderOverItsMessageRateIsHeldThenServedInOrder()
    {
        var options = Gated(rate: 1, burst: 1); // the 2nd and 3rd SEND each wait about a second
        await using var broker = new StompTestBroker(options);
        await using var sender = await broker.ConnectedAsync("sender");

        for (var i = 1; i <= 3; i++)
        {
            await sender.SendAsync("SEND", [("destination", "/queue/rated"), ("receipt", "r" + i)], "m" + i);
        }

        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal("r" + i, (await sender.ExpectAsync(StompCommand.Receipt)).Get("receipt-id"));
        }

        Assert.InRange(options.Publishing.RateHeld, 1, 2);
        Assert.Equal(3, broker.Api.Topology.GetQueue("rated")!.Ready);
    }

    [Fact]
    public async Task AClientIdThatConnectsTooOftenIsRefusedWithAnError()
    {
        var options = new StompServerOptions { ErrorLinger = TimeSpan.FromMilliseconds(50), Flapping = new FlappingDetector(2, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5)) };
        await using var broker = new StompTestBroker(options);
        for (var i = 0; i < 2; i++)
        {
            await using var ok = broker.Connect("conn-" + i);
            await ok.SendAsync("CONNECT", [("accept-version", "1.2"), ("host", "/"), ("client-id", "flappy")]);
            await ok.ExpectAsync(StompCommand.Connected);
        }

        await using var refused = broker.Connect("conn-3");
        await refused.SendAsync("CONNECT", [("accept-version", "1.2"), ("host", "/"), ("client-id", "flappy"), ("receipt", "c3")]);
        var error = await refused.ExpectAsync(StompCommand.Error);
        Assert.Equal("connecting too often", error.Get("message"));
        Assert.Contains("refused for 300 s", Encoding.UTF8.GetString(error.Body.Span), StringComparison.Ordinal);
        Assert.True(await refused.WaitClosedAsync());

        await using var other = broker.Connect("conn-4");
        await other.SendAsync("CONNECT", [("accept-version", "1.2"), ("host", "/"), ("client-id", "calm")]);
        await other.ExpectAsync(StompCommand.Connected);
    }

    [Fact]
    public async Task WithoutAClientIdTheLoginAtItsAddressIsWhatFlaps()
    {
        var options = new StompServerOptions { ErrorLinger = TimeSpan.FromMilliseconds(50), Flapping = new FlappingDetector(1, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5)) };
        await using var broker = new StompTestBroker(options);
        await using var first = broker.Connect("conn-1");
        await first.SendAsync("CONNECT", [("accept-version", "1.2"), ("host", "/"), ("login", "sensor")]);
        await first.ExpectAsync(StompCommand.Connected);

        await using var again = broker.Connect("conn-2");
        await again.SendAsync("CONNECT", [("accept-version", "1.2"), ("host", "/"), ("login", "sensor")]);
        Assert.Equal("connecting too often", (await again.ExpectAsync(StompCommand.Error)).Get("message"));

        await using var otherLogin = broker.Connect("conn-3");
        await otherLogin.SendAsync("CONNECT", [("accept-version", "1.2"), ("host", "/"), ("login", "gateway")]);
        await otherLogin.ExpectAsync(StompCommand.Connected);
    }
}
