namespace EdgeBroker.Server.Logging;

using EdgeBroker.Server.Configuration;
using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Events;
using Serilog.Settings.Configuration;

/// <summary>Builds the Serilog pipeline: structured console always, a daily file when <c>EdgeBroker:Logging:File</c> is set.</summary>
internal static class SerilogSetup
{
    private const string Template = "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {SourceContext} {Message:lj} {Properties:j}{NewLine}{Exception}";

    public static Serilog.ILogger CreateLogger(IConfiguration configuration)
    {
        var settings = new LoggingSettings();
        configuration.GetSection($"{EdgeBrokerOptions.SectionName}:Logging").Bind(settings);

        var config = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .Enrich.FromLogContext()
            .ReadFrom.Configuration(configuration, new ConfigurationReaderOptions(typeof(ConsoleLoggerConfigurationExtensions).Assembly, typeof(FileLoggerConfigurationExtensions).Assembly))
            .WriteTo.Console(outputTemplate: Template, formatProvider: System.Globalization.CultureInfo.InvariantCulture);

        if (!string.IsNullOrWhiteSpace(settings.File))
        {
            config = config.WriteTo.File(settings.File, outputTemplate: Template, rollingInterval: RollingInterval.Day, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        }

        return config.CreateLogger();
    }
}
