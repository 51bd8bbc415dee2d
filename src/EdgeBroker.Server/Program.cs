using EdgeBroker.Server.Cli;
using EdgeBroker.Server.Hosting;
using Microsoft.Extensions.Options;

// The EdgeBroker executable. Exit codes: 0 clean stop, 2 invalid configuration, 3 cannot start
// (data directory unusable or in use, storage cannot be opened, topology refused, HTTP port unavailable).
// `EdgeBroker.Server passwd <users-file> <user>` manages the password file instead (see PasswdCommand).
if (args.Length > 0 && args[0] == PasswdCommand.Name)
{
    return PasswdCommand.Run(args[1..], Console.In, Console.Out, Console.Error, Console.IsInputRedirected);
}

try
{
    var app = EdgeBrokerHost.Build(EdgeBrokerHost.CreateBuilder(args));
    await using (app.ConfigureAwait(false))
    {
        await app.RunAsync().ConfigureAwait(false);
    }

    return 0;
}
catch (OptionsValidationException ex)
{
    await Console.Error.WriteLineAsync("EdgeBroker: invalid configuration:").ConfigureAwait(false);
    foreach (var failure in ex.Failures)
    {
        await Console.Error.WriteLineAsync("  - " + failure).ConfigureAwait(false);
    }

    return 2;
}
catch (BrokerStartupException ex)
{
    await Console.Error.WriteLineAsync("EdgeBroker: cannot start: " + ex.Message).ConfigureAwait(false);
    return 3;
}
catch (IOException ex)
{
    // Kestrel could not bind (port in use, address not available).
    await Console.Error.WriteLineAsync("EdgeBroker: cannot start: " + ex.Message).ConfigureAwait(false);
    return 3;
}

/// <summary>The entry point type, public so test hosts can name it.</summary>
public partial class Program;
