namespace EdgeBroker.Interop.Tests;

/// <summary>The real executable refuses to start, with a clear message and a non-zero exit code, when it cannot work (F26).</summary>
[Trait("Category", "Integration")]
public sealed class ServerStartupTests
{
    [Fact]
    public async Task ExitsNonZeroWithAClearMessageWhenTheDataDirectoryCannotBeCreated()
    {
        // Root ignores chmod, so use a path below a regular file: it can never be created.
        var file = Path.GetTempFileName();
        await using var broker = new BrokerProcess();
        try
        {
            var dataDir = Path.Combine(file, "sub");

            var exit = await broker.RunToExitAsync(["--EdgeBroker:DataDirectory=" + dataDir, "--EdgeBroker:Http:Port=" + BrokerProcess.FindFreePort()], TimeSpan.FromSeconds(60));

            var log = broker.ReadLog();
            Assert.NotEqual(0, exit);
            Assert.Contains("cannot start", log, StringComparison.Ordinal);
            Assert.Contains(dataDir, log, StringComparison.Ordinal);
            Assert.True(File.Exists(file), "the broker must never delete what it cannot use");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task ASecondBrokerOnTheSameDataDirectoryRefusesToStart()
    {
        await using var first = new BrokerProcess(["--EdgeBroker:Queues:0:Name=mine"]);
        await first.StartAsync();
        await using var second = new BrokerProcess(dataDirectory: first.DataDirectory);

        var exit = await second.RunToExitAsync(["--EdgeBroker:DataDirectory=" + first.DataDirectory, "--EdgeBroker:Http:Port=" + BrokerProcess.FindFreePort()], TimeSpan.FromSeconds(60));

        Assert.Equal(3, exit);
        Assert.Contains("in use by another EdgeBroker process", second.ReadLog(), StringComparison.Ordinal);
        Assert.True(first.IsRunning);
        using var http = new HttpClient { BaseAddress = first.BaseAddress };
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("api/queues/mine")).StatusCode);
    }

    [Fact]
    public async Task ExitsNonZeroAndClosesTheStoresWhenTheHttpPortIsTaken()
    {
        using var squatter = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((System.Net.IPEndPoint)squatter.LocalEndpoint).Port;
        await using var broker = new BrokerProcess();

        var exit = await broker.RunToExitAsync(["--EdgeBroker:DataDirectory=" + broker.DataDirectory, "--http-port", port.ToString()], TimeSpan.FromSeconds(60));

        var log = broker.ReadLog();
        Assert.Equal(3, exit);
        Assert.Contains("cannot start", log, StringComparison.Ordinal);
        Assert.Contains("Storage closed cleanly", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExitsNonZeroNamingTheBadSettingWhenConfigurationIsInvalid()
    {
        await using var broker = new BrokerProcess();

        var exit = await broker.RunToExitAsync(["--EdgeBroker:DataDirectory=" + broker.DataDirectory, "--fsync", "sometimes", "--http-port", BrokerProcess.FindFreePort().ToString()], TimeSpan.FromSeconds(60));

        var log = broker.ReadLog();
        Assert.Equal(2, exit);
        Assert.Contains("EdgeBroker:Storage:Fsync", log, StringComparison.Ordinal);
        Assert.False(Directory.Exists(broker.DataDirectory), "nothing is created before the configuration is valid");
    }
}
