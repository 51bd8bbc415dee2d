namespace EdgeBroker.Server.Configuration;

using System.Net;
using EdgeBroker.Core;
using EdgeBroker.Storage;
using Microsoft.Extensions.Options;

/// <summary>
/// Checks the whole <c>EdgeBroker</c> section at start (ValidateOnStart) and names every bad key with
/// what would be valid, so a typo stops the broker before it opens any log. Stateless; thread-safe.
/// </summary>
public sealed class EdgeBrokerOptionsValidator : IValidateOptions<EdgeBrokerOptions>
{
    public ValidateOptionsResult Validate(string? name, EdgeBrokerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            failures.Add("EdgeBroker:DataDirectory must not be empty.");
        }

        ValidateStorage(options.Storage, failures);
        ValidateHttp(options.Http, failures);
        options.Stomp.Validate(failures);
        MqttSettings.Validate(options.Mqtt, failures);
        ValidateTopology(options, failures);
        SecurityValidation.Validate(options.Security, failures);
        TlsSettings.Validate(options, failures);
        WebSocketSettings.Validate(options.WebSockets, failures);
        LimitsSettings.Validate(options, failures);
        StreamSettings.Validate(options.Streams, options.StreamGroups, failures);
        options.Topics.Validate(failures);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateStorage(StorageSettings storage, List<string> failures)
    {
        try
        {
            FsyncPolicy.Parse(storage.Fsync ?? "");
        }
        catch (FormatException ex)
        {
            failures.Add($"EdgeBroker:Storage:Fsync: {ex.Message}");
        }

        if (storage.SegmentBytes < 1024)
        {
            failures.Add($"EdgeBroker:Storage:SegmentBytes must be at least 1024 (was {storage.SegmentBytes}).");
        }

        if (storage.MaxBatchBytes < 1024)
        {
            failures.Add($"EdgeBroker:Storage:MaxBatchBytes must be at least 1024 (was {storage.MaxBatchBytes}).");
        }

        if (storage.MinFreeDiskBytes < 0)
        {
            failures.Add($"EdgeBroker:Storage:MinFreeDiskBytes must not be negative (was {storage.MinFreeDiskBytes}).");
        }

        if (storage.DiskCheckIntervalMs is < 10 or > 60_000)
        {
            failures.Add($"EdgeBroker:Storage:DiskCheckIntervalMs must be between 10 and 60000 (was {storage.DiskCheckIntervalMs}).");
        }

        if (storage.LingerMs is < 0 or > 10_000)
        {
            failures.Add($"EdgeBroker:Storage:LingerMs must be between 0 and 10000 (was {storage.LingerMs}).");
        }
    }

    private static void ValidateHttp(HttpEndpointOptions http, List<string> failures)
    {
        if (http.Port is < 0 or > 65535)
        {
            failures.Add($"EdgeBroker:Http:Port must be between 0 and 65535 (was {http.Port}).");
        }

        if (!IsBindAddress(http.BindAddress))
        {
            failures.Add($"EdgeBroker:Http:BindAddress '{http.BindAddress}' is not an IP address or 'localhost'.");
        }
    }

    internal static bool IsBindAddress(string? address) =>
        string.Equals(address, "localhost", StringComparison.OrdinalIgnoreCase) || IPAddress.TryParse(address, out _);

    private static void ValidateTopology(EdgeBrokerOptions options, List<string> failures)
    {
        var queues = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Queues.Count; i++)
        {
            var queue = options.Queues[i];
            if (!NameRules.IsValidName(queue.Name))
            {
                failures.Add($"EdgeBroker:Queues:{i}:Name '{queue.Name}' is invalid: use {NameRules.Description}.");
            }
            else if (!queues.Add(queue.Name))
            {
                failures.Add($"EdgeBroker:Queues:{i}:Name '{queue.Name}' is declared twice.");
            }

            if (queue.MaxLength is < 1)
            {
                failures.Add($"EdgeBroker:Queues:{i}:MaxLength must be at least 1 (was {queue.MaxLength}).");
            }

            if (queue.MessageTtlMs is < 1)
            {
                failures.Add($"EdgeBroker:Queues:{i}:MessageTtlMs must be at least 1 (was {queue.MessageTtlMs}).");
            }

            if (queue.DeliveryLimit is < 1)
            {
                failures.Add($"EdgeBroker:Queues:{i}:DeliveryLimit must be at least 1 (was {queue.DeliveryLimit}).");
            }

            if (queue.DeadLetterQueue is { Length: > 0 } dlq && !NameRules.IsValidName(dlq))
            {
                failures.Add($"EdgeBroker:Queues:{i}:DeadLetterQueue '{dlq}' is invalid: use {NameRules.Description}.");
            }
        }

        var exchanges = new HashSet<string>(StringComparer.Ordinal) { IBroker.DefaultExchange };
        for (var i = 0; i < options.Exchanges.Count; i++)
        {
            var exchange = options.Exchanges[i];
            if (exchange.Name == IBroker.DefaultExchange)
            {
                failures.Add($"EdgeBroker:Exchanges:{i}:Name '{IBroker.DefaultExchange}' is the built-in default exchange; do not declare it.");
            }
            else if (!NameRules.IsValidName(exchange.Name))
            {
                failures.Add($"EdgeBroker:Exchanges:{i}:Name '{exchange.Name}' is invalid: use {NameRules.Description}.");
            }
            else if (!exchanges.Add(exchange.Name))
            {
                failures.Add($"EdgeBroker:Exchanges:{i}:Name '{exchange.Name}' is declared twice.");
            }

            if (!Enum.IsDefined(exchange.Type))
            {
                failures.Add($"EdgeBroker:Exchanges:{i}:Type must be Topic, Direct, Fanout or Headers.");
            }
        }

        for (var i = 0; i < options.Bindings.Count; i++)
        {
            ValidateBinding(options.Bindings[i], i, exchanges, failures);
        }
    }

    private static void ValidateBinding(BindingSettings binding, int i, HashSet<string> exchanges, List<string> failures)
    {
        if (!exchanges.Contains(binding.Exchange))
        {
            failures.Add($"EdgeBroker:Bindings:{i}:Exchange '{binding.Exchange}' is neither '{IBroker.DefaultExchange}' nor declared in EdgeBroker:Exchanges.");
        }

        var hasQueue = !string.IsNullOrEmpty(binding.Queue);
        var hasStream = !string.IsNullOrEmpty(binding.Stream);
        if (hasQueue == hasStream)
        {
            failures.Add($"EdgeBroker:Bindings:{i} must name exactly one target: Queue or Stream.");
        }
        else if (!NameRules.IsValidName(hasQueue ? binding.Queue : binding.Stream))
        {
            failures.Add($"EdgeBroker:Bindings:{i} target '{binding.Queue ?? binding.Stream}' is invalid: use {NameRules.Description}.");
        }

        if (binding.Pattern is null || binding.Pattern.Contains('\0', StringComparison.Ordinal))
        {
            failures.Add($"EdgeBroker:Bindings:{i}:Pattern must be a topic filter without NUL characters.");
        }
    }
}
