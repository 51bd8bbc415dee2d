namespace EdgeBroker.Server.Tests;

using EdgeBroker.Server.Configuration;
using EdgeBroker.Server.Hosting;
using EdgeBroker.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

[Trait("Category", "Integration")]
public sealed class HostConfigurationTests
{
    [Fact]
    public async Task RefusesToStartWithAnInvalidFsyncPolicy()
    {
        var dir = Path.Combine(Path.GetTempPath(), "eb-cfg-" + Guid.NewGuid().ToString("N"));
        await using var app = TestBrokerHost.Build(["--EdgeBroker:DataDirectory=" + dir, "--fsync", "sometimes"], out var factory);

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(ex.Failures, f => f.Contains("EdgeBroker:Storage:Fsync", StringComparison.Ordinal));
        Assert.Null(factory.Context);
    }

    [Fact]
    public async Task FriendlySwitchesMapOntoTheEdgeBrokerSection()
    {
        var dir = Path.Combine(Path.GetTempPath(), "eb-cfg-" + Guid.NewGuid().ToString("N"));
        await using var app = TestBrokerHost.Build(["--data-dir", dir, "--http-port", "18089", "--fsync", "interval:250"], out var factory);
        try
        {
            await app.StartAsync();

            var options = app.Services.GetRequiredService<IOptions<EdgeBrokerOptions>>().Value;
            Assert.Equal(dir, options.DataDirectory);
            Assert.Equal(18089, options.Http.Port);
            Assert.Equal(FsyncPolicy.Every(TimeSpan.FromMilliseconds(250)), factory.Context!.LogOptions.Fsync);
            Assert.Equal(Path.GetFullPath(dir), factory.Context.DataDirectory);
            Assert.True(Directory.Exists(dir));
            await app.StopAsync();
        }
        finally
        {
            TestBrokerHost.TryDelete(dir);
        }
    }

    [Fact]
    public async Task RefusesToStartWhenTheDataDirectoryCannotBeCreated()
    {
        var file = Path.GetTempFileName();
        try
        {
            await using var app = TestBrokerHost.Build(["--EdgeBroker:DataDirectory=" + Path.Combine(file, "sub")], out var factory);

            var ex = await Assert.ThrowsAsync<BrokerStartupException>(() => app.StartAsync());

            Assert.Contains(file, ex.Message, StringComparison.Ordinal);
            Assert.Null(factory.Context);
            Assert.True(File.Exists(file), "the guard must never delete what it cannot use");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task AppliesConfiguredQueuesExchangesAndBindingsAtStart()
    {
        await using var host = await TestBrokerHost.StartAsync(
            "--EdgeBroker:Queues:0:Name=orders",
            "--EdgeBroker:Queues:0:MaxLength=5",
            "--EdgeBroker:Exchanges:0:Name=events",
            "--EdgeBroker:Exchanges:0:Type=Fanout",
            "--EdgeBroker:Bindings:0:Pattern=orders/#",
            "--EdgeBroker:Bindings:0:Queue=orders");

        var topology = host.Broker.Topology;
        Assert.NotNull(topology.GetQueue("orders"));
        Assert.Contains(topology.Exchanges, e => e.Name == "events" && e.Type == Core.Routing.ExchangeType.Fanout);
        var binding = Assert.Single(topology.Bindings);
        Assert.Equal(("amq.topic", "orders/#", "orders"), (binding.Exchange, binding.Pattern, binding.Target));
    }

    [Fact]
    public async Task StoppingTheHostDisposesTheBrokerAndItsStores()
    {
        var host = await TestBrokerHost.StartAsync();
        var broker = host.Broker;
        Assert.False(broker.Disposed);

        await host.DisposeAsync();

        Assert.True(broker.Disposed);
    }
}
