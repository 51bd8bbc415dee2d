namespace EdgeBroker.Server.Tests;

using EdgeBroker.Server.Configuration;
using Microsoft.Extensions.Options;

[Trait("Category", "Unit")]
public sealed class EdgeBrokerOptionsValidatorTests
{
    private static ValidateOptionsResult Validate(EdgeBrokerOptions options) => new EdgeBrokerOptionsValidator().Validate(null, options);

    [Fact]
    public void AcceptsTheDefaults()
    {
        Assert.True(Validate(new EdgeBrokerOptions()).Succeeded);
    }

    [Theory]
    [InlineData("always")]
    [InlineData("never")]
    [InlineData("interval:100")]
    public void AcceptsEveryFsyncPolicy(string fsync)
    {
        Assert.True(Validate(new EdgeBrokerOptions { Storage = { Fsync = fsync } }).Succeeded);
    }

    [Theory]
    [InlineData("sometimes")]
    [InlineData("interval:")]
    [InlineData("interval:0")]
    [InlineData("")]
    public void RejectsAnUnknownFsyncPolicyNamingTheKey(string fsync)
    {
        var result = Validate(new EdgeBrokerOptions { Storage = { Fsync = fsync } });
        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("EdgeBroker:Storage:Fsync", StringComparison.Ordinal) && f.Contains("always", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0, 128, "EdgeBroker:Topics:MaxBytes")]
    [InlineData(70_000, 128, "EdgeBroker:Topics:MaxBytes")]
    [InlineData(1024, 0, "EdgeBroker:Topics:MaxLevels")]
    public void RejectsTopicLimitsOutOfRangeNamingTheKey(int maxBytes, int maxLevels, string key)
    {
        var result = Validate(new EdgeBrokerOptions { Topics = { MaxBytes = maxBytes, MaxLevels = maxLevels } });
        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith(key, StringComparison.Ordinal));
    }

    [Fact]
    public void ReportsEveryBadSettingAtOnce()
    {
        var options = new EdgeBrokerOptions
        {
            DataDirectory = " ",
            Storage = { SegmentBytes = 10, MaxBatchBytes = 1, LingerMs = -1 },
            Http = { Port = 70000, BindAddress = "not-an-address" },
        };

        var failures = Validate(options).Failures!.ToList();

        Assert.Contains(failures, f => f.Contains("DataDirectory", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("SegmentBytes", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("MaxBatchBytes", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("LingerMs", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Http:Port", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("not-an-address", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    [InlineData("")]
    [InlineData("sp ace")]
    public void RejectsQueueNamesOutsideTheSafeAlphabet(string name)
    {
        var options = new EdgeBrokerOptions();
        options.Queues.Add(new QueueSettings { Name = name });

        var result = Validate(options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("EdgeBroker:Queues:0:Name", StringComparison.Ordinal));
    }

    [Fact]
    public void RejectsABindingToAnUndeclaredExchangeOrWithoutTarget()
    {
        var options = new EdgeBrokerOptions();
        options.Bindings.Add(new BindingSettings { Exchange = "nope", Pattern = "a/#", Queue = "q" });
        options.Bindings.Add(new BindingSettings { Pattern = "a/#" });

        var failures = Validate(options).Failures!.ToList();

        Assert.Contains(failures, f => f.StartsWith("EdgeBroker:Bindings:0:Exchange 'nope'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("EdgeBroker:Bindings:1 must name exactly one target", StringComparison.Ordinal));
    }

    [Fact]
    public void RejectsDuplicateQueuesAndRedeclaringTheDefaultExchange()
    {
        var options = new EdgeBrokerOptions();
        options.Queues.Add(new QueueSettings { Name = "q" });
        options.Queues.Add(new QueueSettings { Name = "q" });
        options.Exchanges.Add(new ExchangeSettings { Name = "amq.topic" });

        var failures = Validate(options).Failures!.ToList();

        Assert.Contains(failures, f => f.Contains("declared twice", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("built-in default exchange", StringComparison.Ordinal));
    }
}
