namespace EdgeBroker.Server.Hosting;

using System.Net;
using EdgeBroker.Server.Configuration;
using EdgeBroker.Server.Http;
using EdgeBroker.Server.Logging;
using EdgeBroker.Server.Metrics;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Serilog.Extensions.Logging;

/// <summary>
/// Builds the web application: configuration (with friendly switches), options validated at start,
/// Serilog, Kestrel bound from <c>EdgeBroker:Http</c>, the broker lifetime service and every endpoint.
/// Nothing reads configuration eagerly, so tests can override any key through the arguments or services.
/// </summary>
public static class EdgeBrokerHost
{
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

        // After the default sources, so switches win like any command-line argument.
        builder.Configuration.AddCommandLine(args, SwitchMappings.Map.ToDictionary(StringComparer.OrdinalIgnoreCase));

        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<ILoggerProvider>(sp => new SerilogLoggerProvider(SerilogSetup.CreateLogger(sp.GetRequiredService<IConfiguration>()), dispose: true));

        builder.Services.AddOptions<EdgeBrokerOptions>()
            .Bind(builder.Configuration.GetSection(EdgeBrokerOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<EdgeBrokerOptions>, EdgeBrokerOptionsValidator>();

        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<EdgeBrokerOptions>>((kestrel, options) => Listen(kestrel, options.Value.Http));

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<BrokerAccessor>();
        builder.Services.AddSingleton<IBrokerRuntimeFactory, BrokerComposition>();
        builder.Services.AddHostedService<BrokerHostedService>();
        builder.Services.AddSingleton<DiskSpaceMonitor>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DiskSpaceMonitor>());
        builder.Services.AddSingleton<Limits.MemoryMonitor>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Limits.MemoryMonitor>());
        builder.Services.AddSingleton(sp => RawLimits(sp.GetRequiredService<IConfiguration>()).ToPublishLimits(sp.GetRequiredService<BrokerAccessor>().Alarms, sp.GetRequiredService<TimeProvider>()));
        StompEndpoints.AddServices(builder.Services);
        MqttEndpoints.AddServices(builder);
        Hub.HubEndpoints.AddServices(builder.Services);
        TlsListeners.AddServices(builder.Services);
        builder.Services.AddSingleton<Limits.ConnectionLimiter>();

        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
        builder.Services.AddOpenApi();
        return builder;
    }

    /// <summary>
    /// The Limits section read raw: the adapters are built while the app is, before options are validated at start,
    /// so an invalid section falls back to the defaults here and validation then stops the start with the reason.
    /// </summary>
    private static LimitsSettings RawLimits(IConfiguration configuration)
    {
        try
        {
            return configuration.GetSection(EdgeBrokerOptions.SectionName + ":Limits").Get<LimitsSettings>() ?? new LimitsSettings();
        }
        catch (InvalidOperationException)
        {
            return new LimitsSettings();
        }
    }

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        AdminAuthentication.Use(app);
        WebSocketOriginPolicy.Use(app);
        DashboardFiles.Use(app);

        HealthEndpoints.Map(app);
        MetricsEndpoints.Map(app);
        app.MapOpenApi();

        var api = app.MapGroup("/api");
        OverviewEndpoints.Map(api);
        PublishEndpoints.Map(api);
        ExchangeEndpoints.Map(api);
        BindingEndpoints.Map(api);
        QueueEndpoints.Map(api);
        StreamEndpoints.Map(api);
        StompEndpoints.Map(app);
        MqttEndpoints.Map(app);
        ClientEndpoints.Map(api);
        Hub.HubEndpoints.Map(app);
        return app;
    }

    private static void Listen(KestrelServerOptions kestrel, HttpEndpointOptions http)
    {
        if (string.Equals(http.BindAddress, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(http.Port);
        }
        else if (IPAddress.TryParse(http.BindAddress, out var address))
        {
            kestrel.Listen(address, http.Port);
        }

        // An invalid address is reported by EdgeBrokerOptionsValidator before Kestrel starts.
    }
}
