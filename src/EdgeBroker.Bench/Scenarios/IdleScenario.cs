namespace EdgeBroker.Bench.Scenarios;

using System.Diagnostics;
using EdgeBroker.Bench.Clients;
using EdgeBroker.Bench.Stats;

/// <summary>
/// Idle connection capacity: opens <see cref="BenchOptions.Connections"/> connections (CONNECT/CONNACK done,
/// keep-alive 600 s so no pings are due), holds them for the duration, and reports the broker's resident memory
/// growth per connection (RSS after − RSS before, from /proc; needs --broker-pid).
/// </summary>
public static class IdleScenario
{
    public static async Task<BenchResult> RunAsync(BenchOptions o, ProgressReporter progress, CancellationToken cancellationToken)
    {
        var sampler = o.BrokerPid is { } pid ? new BrokerProcessSampler(pid) : null;
        var before = sampler?.RssBytes();
        var errors = new List<string>();
        var started = Stopwatch.GetTimestamp();
        List<BenchClient> clients = [];
        try
        {
            clients = await ScenarioRunner.ConnectManyAsync(o.Connections, o.SubscribeProtocol, o, "eb-idle-" + Guid.NewGuid().ToString("N")[..6] + "-", cancellationToken);
            var connectSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            await Console.Error.WriteLineAsync($"{clients.Count} connections open in {connectSeconds:F1} s; holding for {o.Duration.TotalSeconds:F0} s");
            await Task.Delay(o.Duration, cancellationToken);
            var after = sampler?.RssBytes();
            errors.AddRange(clients.Where(c => c.ReadLoop.IsCompleted).Take(5).Select(c => "connection closed by the broker: " + (c.ReadLoop.Exception?.GetBaseException().Message ?? "EOF")));
            var open = clients.Count(c => !c.ReadLoop.IsCompleted);
            return new BenchResult
            {
                Scenario = "idle",
                SubscribeProtocol = ScenarioRunner.ProtocolName(o.SubscribeProtocol),
                DurationSeconds = o.Duration.TotalSeconds,
                Connections = open,
                BrokerRssBytes = after,
                BytesPerConnection = before is { } b && after is { } a && open > 0 ? (double)(a - b) / open : null,
                Errors = errors,
            };
        }
        finally
        {
            progress.Finish();
            await ScenarioRunner.ForEachAsync(clients.Count, i =>
            {
                clients[i].Dispose();
                return Task.CompletedTask;
            });
        }
    }
}
