namespace EdgeBroker.Server.Configuration;

/// <summary>The <c>EdgeBroker:Logging</c> section. Console logging is always on.</summary>
public sealed class LoggingSettings
{
    /// <summary>Optional path of a daily-rolling log file (Serilog file sink); null or empty = console only.</summary>
    public string? File { get; set; }
}
