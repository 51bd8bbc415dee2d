namespace EdgeBroker.Server.Tests;

using EdgeBroker.Server.Hosting;
using EdgeBroker.Server.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

/// <summary>
/// The real host (configuration, validation, logging, endpoints, lifetime service) on a TestServer, with the
/// storage/routing composition replaced by <see cref="FakeRuntimeFactory"/>, over a temp data directory.
/// </summary>
internal sealed class TestBrokerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FakeRuntimeFactory? _factory;
    private readonly bool _ownsDataDirectory;

    private TestBrokerHost(WebApplication app, FakeRuntimeFactory? factory, string dataDirectory, bool ownsDataDirectory)
    {
        _app = app;
        _factory = factory;
        _ownsDataDirectory = ownsDataDirectory;
        DataDirectory = dataDirectory;
        Client = app.GetTestClient();
    }

    public FakeRuntimeFactory Factory => _factory ?? throw new InvalidOperationException("This host runs the real composition.");

    public FakeBroker Broker => Factory.Broker;

    public string DataDirectory { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Builds and starts the host. <paramref name="args"/> are extra command-line arguments.</summary>
    public static async Task<TestBrokerHost> StartAsync(params string[] args)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "eb-server-tests-" + Guid.NewGuid().ToString("N"));
        var app = Build(["--EdgeBroker:DataDirectory=" + dataDirectory, .. args], out var factory);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            TryDelete(dataDirectory);
            throw;
        }

        return new TestBrokerHost(app, factory, dataDirectory, ownsDataDirectory: true);
    }

    /// <summary>Starts the host with the real storage and routing composition over <paramref name="dataDirectory"/> (kept on dispose).</summary>
    public static async Task<TestBrokerHost> StartRealAsync(string dataDirectory, params string[] args)
    {
        var builder = EdgeBrokerHost.CreateBuilder(["--EdgeBroker:DataDirectory=" + dataDirectory, .. args]);
        builder.WebHost.UseTestServer();
        var app = EdgeBrokerHost.Build(builder);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new TestBrokerHost(app, null, dataDirectory, ownsDataDirectory: false);
    }

    /// <summary>Builds (without starting) a host with the fake composition.</summary>
    public static WebApplication Build(string[] args, out FakeRuntimeFactory factory)
    {
        var builder = EdgeBrokerHost.CreateBuilder(args);
        builder.WebHost.UseTestServer();
        var fake = new FakeRuntimeFactory();
        builder.Services.RemoveAll<IBrokerRuntimeFactory>();
        builder.Services.AddSingleton<IBrokerRuntimeFactory>(fake);
        factory = fake;
        return EdgeBrokerHost.Build(builder);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ownsDataDirectory)
        {
            TryDelete(DataDirectory);
        }
    }

    internal static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless; never fail a test on cleanup.
        }
    }
}
