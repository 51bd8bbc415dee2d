namespace EdgeBroker.Bench.Cli;

using System.CommandLine;
using EdgeBroker.Bench.Clients;
using EdgeBroker.Bench.Scenarios;

/// <summary>The command line: options → <see cref="BenchOptions"/> → one run → one JSON line on stdout.</summary>
public static class BenchCommand
{
    public static RootCommand Create()
    {
        var scenario = new Option<string>("--scenario", "-s") { Description = "pairs | fan-in | fan-out | idle | queue | stream", DefaultValueFactory = _ => "pairs" };
        var host = new Option<string>("--host") { Description = "Broker host", DefaultValueFactory = _ => "127.0.0.1" };
        var mqttPort = new Option<int>("--mqtt-port") { DefaultValueFactory = _ => 1883 };
        var stompPort = new Option<int>("--stomp-port") { DefaultValueFactory = _ => 61613 };
        var protocol = new Option<string?>("--protocol", "-p") { Description = "mqtt3 | mqtt5 | stomp for both sides (default mqtt3)" };
        var pub = new Option<string?>("--pub") { Description = "Publisher protocol (overrides --protocol)" };
        var sub = new Option<string?>("--sub") { Description = "Subscriber protocol (overrides --protocol)" };
        var qos = new Option<int>("--qos", "-q") { Description = "MQTT QoS 0/1/2; STOMP: >0 = SEND with receipts", DefaultValueFactory = _ => 0 };
        var ack = new Option<string>("--stomp-ack") { Description = "auto | client | client-individual (queue default: client-individual)", DefaultValueFactory = _ => "auto" };
        var topicStyle = new Option<string>("--topic-style") { Description = "slash (/topic/a/b, EdgeBroker) | dotted (/topic/a.b, RabbitMQ)", DefaultValueFactory = _ => "slash" };
        var connections = new Option<int>("--connections", "-c") { Description = "pairs: publisher/subscriber pairs; idle: connections", DefaultValueFactory = _ => 4 };
        var publishers = new Option<int>("--publishers") { DefaultValueFactory = _ => 1 };
        var subscribers = new Option<int>("--subscribers") { Description = "Subscribers (fan-in/fan-out) or competing consumers (queue)", DefaultValueFactory = _ => 1 };
        var size = new Option<int>("--size") { Description = "Payload bytes (≥ 20)", DefaultValueFactory = _ => 128 };
        var rate = new Option<double>("--rate") { Description = "Total msgs/s over all publishers; 0 = unlimited", DefaultValueFactory = _ => 0 };
        var duration = new Option<double>("--duration", "-d") { Description = "Measured seconds", DefaultValueFactory = _ => 10 };
        var warmup = new Option<double>("--warmup") { Description = "Seconds before measuring", DefaultValueFactory = _ => 2 };
        var inflight = new Option<int>("--inflight") { Description = "Per publisher: unacknowledged / undelivered window", DefaultValueFactory = _ => 64 };
        var prefetch = new Option<int>("--prefetch") { Description = "Queue consumers' prefetch-count", DefaultValueFactory = _ => 100 };
        var prefix = new Option<string>("--topic-prefix") { DefaultValueFactory = _ => "bench" };
        var queue = new Option<string>("--queue") { Description = "Queue name prefix (queue scenario)", DefaultValueFactory = _ => "bench-queue" };
        var brokerPid = new Option<int?>("--broker-pid") { Description = "Broker process id: CPU and RSS from /proc" };
        var username = new Option<string?>("--username", "-u");
        var password = new Option<string?>("--password", "-P");
        var stompHost = new Option<string>("--stomp-vhost") { Description = "STOMP host header", DefaultValueFactory = _ => "/" };
        var noProgress = new Option<bool>("--no-progress") { Description = "No progress lines on stderr" };
        var sourceAddresses = new Option<int>("--source-addresses") { Description = "Spread connections over 127.0.0.1..N (more than ~28k connections)", DefaultValueFactory = _ => 1 };
        var drain = new Option<double>("--drain") { Description = "Max seconds to wait for in-flight messages after the last send", DefaultValueFactory = _ => 5 };

        var root = new RootCommand("edgebroker-bench: MQTT/STOMP load generator; prints one JSON line with the results.")
        {
            scenario, host, mqttPort, stompPort, protocol, pub, sub, qos, ack, topicStyle, connections, publishers, subscribers,
            size, rate, duration, warmup, inflight, prefetch, prefix, queue, brokerPid, username, password, stompHost, noProgress,
            sourceAddresses, drain,
        };

        root.SetAction(async (result, cancellationToken) =>
        {
            var both = result.GetValue(protocol) ?? "mqtt3";
            BenchOptions options;
            try
            {
                options = new BenchOptions
                {
                    Scenario = ParseScenario(result.GetValue(scenario)!),
                    Client = new ClientSettings(result.GetValue(host)!, result.GetValue(mqttPort), result.GetValue(stompPort), result.GetValue(username), result.GetValue(password), result.GetValue(stompHost)!),
                    PublishProtocol = ParseProtocol(result.GetValue(pub) ?? both),
                    SubscribeProtocol = ParseProtocol(result.GetValue(sub) ?? both),
                    Qos = result.GetValue(qos),
                    StompAck = result.GetValue(ack) switch
                    {
                        "client" => StompAckMode.Client,
                        "client-individual" => StompAckMode.ClientIndividual,
                        "auto" => StompAckMode.Auto,
                        var other => throw new ArgumentException($"Unknown --stomp-ack '{other}'."),
                    },
                    TopicStyle = result.GetValue(topicStyle) == "dotted" ? TopicStyle.Dotted : TopicStyle.Slash,
                    Connections = result.GetValue(connections),
                    Publishers = result.GetValue(publishers),
                    Subscribers = result.GetValue(subscribers),
                    Size = result.GetValue(size),
                    Rate = result.GetValue(rate),
                    Duration = TimeSpan.FromSeconds(result.GetValue(duration)),
                    Warmup = TimeSpan.FromSeconds(result.GetValue(warmup)),
                    Inflight = Math.Max(1, result.GetValue(inflight)),
                    Prefetch = result.GetValue(prefetch),
                    TopicPrefix = result.GetValue(prefix)!,
                    Queue = result.GetValue(queue)!,
                    BrokerPid = result.GetValue(brokerPid),
                    Progress = !result.GetValue(noProgress),
                    SourceAddresses = Math.Max(1, result.GetValue(sourceAddresses)),
                    Drain = TimeSpan.FromSeconds(result.GetValue(drain)),
                };
            }
            catch (ArgumentException e)
            {
                await Console.Error.WriteLineAsync("edgebroker-bench: " + e.Message);
                return 2;
            }

            var progress = new ProgressReporter(Console.Error, options.Progress);
            try
            {
                var outcome = options.Scenario == Scenario.Idle
                    ? await IdleScenario.RunAsync(options, progress, cancellationToken)
                    : await ScenarioRunner.RunAsync(options, progress, cancellationToken);
                progress.Finish();
                await Console.Out.WriteLineAsync(outcome.ToJson());
                return outcome.Errors.Count == 0 ? 0 : 1;
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or TimeoutException or ArgumentException or UnauthorizedAccessException)
            {
                progress.Finish();
                await Console.Error.WriteLineAsync("edgebroker-bench: " + e.Message);
                return 2;
            }
        });
        return root;
    }

    internal static Scenario ParseScenario(string value) => value switch
    {
        "pairs" => Scenario.Pairs,
        "fan-in" => Scenario.FanIn,
        "fan-out" => Scenario.FanOut,
        "idle" => Scenario.Idle,
        "queue" => Scenario.Queue,
        "stream" => Scenario.Stream,
        _ => throw new ArgumentException($"Unknown --scenario '{value}'."),
    };

    internal static BenchProtocol ParseProtocol(string value) => value switch
    {
        "mqtt3" or "mqtt311" or "mqtt" => BenchProtocol.Mqtt311,
        "mqtt5" => BenchProtocol.Mqtt5,
        "stomp" => BenchProtocol.Stomp,
        _ => throw new ArgumentException($"Unknown protocol '{value}' (mqtt3, mqtt5, stomp)."),
    };
}
