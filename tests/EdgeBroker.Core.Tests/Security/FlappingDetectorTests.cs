namespace EdgeBroker.Core.Tests.Security;

using EdgeBroker.Core.Security;
using EdgeBroker.Core.Tests.Persistence;

[Trait("Category", "Unit")]
public sealed class FlappingDetectorTests
{
    [Fact]
    public void AClientIdConnectingTooOftenIsBannedForTheBanTimeThenAdmittedAgain()
    {
        var time = new ManualTimeProvider();
        var detector = new FlappingDetector(3, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(300), time);

        Assert.True(detector.TryAdmit("dev"));
        Assert.True(detector.TryAdmit("dev"));
        Assert.True(detector.TryAdmit("dev"));
        Assert.False(detector.TryAdmit("dev")); // the fourth connect within a minute
        Assert.True(detector.TryAdmit("other")); // one id's flapping never affects another

        time.Advance(TimeSpan.FromSeconds(299));
        Assert.False(detector.TryAdmit("dev"));
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(detector.TryAdmit("dev"));
        Assert.Equal(2, detector.Refused);
    }

    [Fact]
    public void ConnectsSpreadOverWindowsAreNeverRefused()
    {
        var time = new ManualTimeProvider();
        var detector = new FlappingDetector(3, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(300), time);
        for (var i = 0; i < 20; i++)
        {
            Assert.True(detector.TryAdmit("steady"));
            time.Advance(TimeSpan.FromSeconds(21)); // at most three per 60 s window
        }
    }

    [Fact]
    public void DisabledAdmitsEverything()
    {
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(FlappingDetector.Disabled.TryAdmit("x"));
        }
    }
}
