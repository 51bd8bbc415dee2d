namespace EdgeBroker.Bench.Scenarios;

using System.Diagnostics;
using System.Globalization;
using EdgeBroker.Bench.Clients;
using EdgeBroker.Bench.Stats;

/// <summary>
/// Runs one message-flow scenario: connects receivers and waits for their subscriptions, connects publishers,
/// runs warm-up then the measurement window (throughput is counted between the two snapshots, latency only for
/// messages meant to be sent inside the window), stops the publishers, drains what is still in flight, and
/// counts loss and duplicates from the sequence numbers.
/// </summary>
public static class ScenarioRunner
{
    private const int ConnectConcurrency = 64;

    public static async Task<BenchResult> RunAsync(BenchOptions o, ProgressReporter progress, CancellationToken cancellationToken)
    {
        if (o.Size < PayloadStamp.Length)
        {
            throw new ArgumentException($"--size must be at least {PayloadStamp.Length} bytes (the sequence/timestamp stamp).");
        }

        var runId = Guid.NewGuid().ToString("N")[..8];
        var plan = ScenarioPlan.For(o, runId);
        var publisherCount = plan.PublishDestinations.Length;
        var publishQos = plan.Acknowledged && plan.PublishProtocol != BenchProtocol.Stomp ? Math.Max(1, o.Qos) : o.Qos;
        var sampler = o.BrokerPid is { } pid ? new BrokerProcessSampler(pid) : null;
        var errors = new List<string>();

        var receiverClients = new List<BenchClient>();
        var publisherClients = new List<BenchClient>();
        var publishers = new List<Publisher>();
        try
        {
            var shared = plan.SharedTrackers ? NewTrackers(publisherCount) : null;
            var receivers = new List<Receiver>();
            var run = new BenchRun();
            receiverClients.AddRange(await ConnectManyAsync(plan.ReceiverSubscriptions.Length, plan.SubscribeProtocol, o, $"eb-sub-{runId}-", cancellationToken));
            for (var i = 0; i < receiverClients.Count; i++)
            {
                var receiver = new Receiver(run, shared ?? NewTrackers(publisherCount), releasesWindows: plan.EndToEndWindow && (o.Scenario == Scenario.Pairs || i == 0));
                receivers.Add(receiver);
                receiverClients[i].Sink = receiver;
            }

            await ForEachAsync(receiverClients.Count, i => receiverClients[i].SubscribeAsync(plan.ReceiverSubscriptions[i], o.Qos, plan.AckMode, plan.Prefetch, cancellationToken));
            publisherClients.AddRange(await ConnectManyAsync(publisherCount, plan.PublishProtocol, o, $"eb-pub-{runId}-", cancellationToken));

            var start = Stopwatch.GetTimestamp();
            var measureStart = start + (long)(o.Warmup.TotalSeconds * Stopwatch.Frequency);
            var measureEnd = measureStart + (long)(o.Duration.TotalSeconds * Stopwatch.Frequency);
            run.SetClock(start, measureStart, measureEnd);
            var perPublisherRate = o.Rate / publisherCount;
            for (var i = 0; i < publisherCount; i++)
            {
                var client = publisherClients[i];
                client.SetPublishTarget(plan.PublishDestinations[i], publishQos, withReceipts: plan.Acknowledged, plan.Persistent, o.Size);
                // Fixed-rate publishers are staggered over one interval so their sends do not all fall on the same tick.
                var offset = perPublisherRate > 0 ? (long)(Stopwatch.Frequency / perPublisherRate * i / publisherCount) : 0;
                var schedule = new RateSchedule(start + offset, perPublisherRate);
                publishers.Add(new Publisher(i, client, run, schedule, o.Inflight, plan.Acknowledged, plan.EndToEndWindow, recordAckLatency: receivers.Count == 0));
            }

            run.Publishers = publishers;
            foreach (var publisher in publishers)
            {
                publisher.Start();
            }

            var window = await MeasureAsync(run, sampler, progress, cancellationToken);
            foreach (var publisher in publishers)
            {
                publisher.Stop();
            }

            var copies = plan.SharedTrackers || o.Scenario == Scenario.Pairs ? 1 : receivers.Count;
            await DrainAsync(run, publishers, receivers, plan, copies, o.Drain, progress, cancellationToken);

            errors.AddRange(publishers.Where(p => p.Failure is not null).Select(p => $"publisher {p.Id}: {p.Failure!.Message}"));
            errors.AddRange(receiverClients.Concat(publisherClients).Where(c => c.ReadLoop.IsFaulted)
                .Select(c => c.ReadLoop.Exception!.GetBaseException().Message).Distinct().Take(5));

            var trackers = plan.SharedTrackers ? [shared!] : receivers.Select(r => r.Trackers).ToArray();
            long lost = 0, duplicated = 0;
            for (var r = 0; r < trackers.Length; r++)
            {
                for (var p = 0; p < publisherCount; p++)
                {
                    // A pair's receiver hears only its own publisher.
                    if (o.Scenario != Scenario.Pairs || r == p)
                    {
                        lost += trackers[r][p].Lost(publishers[p].Sent);
                        duplicated += trackers[r][p].Duplicates;
                    }
                }
            }

            var seconds = o.Duration.TotalSeconds;
            return new BenchResult
            {
                Scenario = ScenarioName(o.Scenario),
                PublishProtocol = ProtocolName(plan.PublishProtocol),
                SubscribeProtocol = receivers.Count == 0 ? "" : ProtocolName(plan.SubscribeProtocol),
                Qos = plan.PublishProtocol == BenchProtocol.Stomp ? (plan.Acknowledged ? 1 : 0) : publishQos,
                Size = o.Size,
                Rate = o.Rate,
                Publishers = publisherCount,
                Subscribers = receivers.Count,
                DurationSeconds = seconds,
                Sent = run.Sent,
                Acked = run.Acked,
                Received = run.Received,
                Lost = lost,
                Duplicated = duplicated,
                MsgsPerSecOut = window.Sent / seconds,
                MsgsPerSecAcked = window.Acked / seconds,
                MsgsPerSecIn = window.Received / seconds,
                LatencyKind = receivers.Count == 0 ? "ack" : "end-to-end",
                LatencyP50Us = run.Latency.Percentile(50),
                LatencyP99Us = run.Latency.Percentile(99),
                LatencyP999Us = run.Latency.Percentile(99.9),
                LatencyMaxUs = run.Latency.Max,
                Stalls = run.Stalls,
                BrokerCpu = window.CpuSeconds is { } cpu ? cpu / seconds : null,
                BrokerRssBytes = sampler?.RssBytes(),
                Errors = errors,
            };
        }
        finally
        {
            foreach (var publisher in publishers)
            {
                publisher.Dispose();
            }

            foreach (var client in publisherClients.Concat(receiverClients))
            {
                client.Dispose();
            }
        }
    }

    internal static string ScenarioName(Scenario scenario) => scenario switch
    {
        Scenario.FanIn => "fan-in",
        Scenario.FanOut => "fan-out",
        _ => scenario.ToString().ToLowerInvariant(),
    };

    internal static string ProtocolName(BenchProtocol protocol) => protocol switch
    {
        BenchProtocol.Mqtt311 => "mqtt3",
        BenchProtocol.Mqtt5 => "mqtt5",
        _ => "stomp",
    };

    internal static async Task<List<BenchClient>> ConnectManyAsync(int count, BenchProtocol protocol, BenchOptions o, string idPrefix, CancellationToken cancellationToken)
    {
        var clients = new BenchClient[count];
        try
        {
            await ForEachAsync(count, async i =>
            {
                var local = o.SourceAddresses > 1 ? new System.Net.IPAddress(new byte[] { 127, 0, 0, (byte)(1 + (i % o.SourceAddresses)) }) : null;
                clients[i] = await BenchClient.ConnectAsync(protocol, o.Client, idPrefix + i.ToString(CultureInfo.InvariantCulture), local, cancellationToken);
            });
        }
        catch
        {
            foreach (var client in clients)
            {
                client?.Dispose();
            }

            throw;
        }

        return [.. clients];
    }

    internal static async Task ForEachAsync(int count, Func<int, Task> action)
    {
        using var gate = new SemaphoreSlim(ConnectConcurrency);
        var tasks = new Task[count];
        for (var i = 0; i < count; i++)
        {
            await gate.WaitAsync();
            var index = i;
            tasks[i] = Task.Run(async () =>
            {
                try
                {
                    await action(index);
                }
                finally
                {
                    gate.Release();
                }
            });
        }

        await Task.WhenAll(tasks);
    }

    private static SequenceTracker[] NewTrackers(int count) => [.. Enumerable.Range(0, count).Select(_ => new SequenceTracker())];

    private static async Task<WindowCounts> MeasureAsync(BenchRun run, BrokerProcessSampler? sampler, ProgressReporter progress, CancellationToken cancellationToken)
    {
        WindowCounts? atStart = null;
        while (true)
        {
            var now = Stopwatch.GetTimestamp();
            if (atStart is null && now >= run.MeasureStartTicks)
            {
                atStart = WindowCounts.Take(run, sampler);
            }

            if (now >= run.MeasureEndTicks)
            {
                var atEnd = WindowCounts.Take(run, sampler);
                return atEnd - (atStart ?? atEnd);
            }

            progress.Report(run, atStart is null ? "warmup" : "measure");
            var next = Math.Min(now + Stopwatch.Frequency, atStart is null ? run.MeasureStartTicks : run.MeasureEndTicks);
            var delay = TimeSpan.FromSeconds((double)Math.Max(0, next - now) / Stopwatch.Frequency);
            await Task.Delay(delay, cancellationToken);
        }
    }

    private static async Task DrainAsync(BenchRun run, List<Publisher> publishers, List<Receiver> receivers, ScenarioPlan plan, int copies, TimeSpan limit, ProgressReporter progress, CancellationToken cancellationToken)
    {
        var sent = publishers.Sum(p => p.Sent);
        var expectedReceived = sent * copies;
        var expectedAcks = plan.Acknowledged ? sent : 0;
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        var lastProgress = Stopwatch.GetTimestamp();
        var lastCount = -1L;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var unique = plan.SharedTrackers
                ? receivers.FirstOrDefault()?.Trackers.Sum(t => t.Unique) ?? 0
                : receivers.Sum(r => r.Trackers.Sum(t => t.Unique));
            var acked = run.Acked;
            if ((receivers.Count == 0 || unique >= expectedReceived) && acked >= expectedAcks)
            {
                return;
            }

            if (unique + acked != lastCount)
            {
                lastCount = unique + acked;
                lastProgress = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetTimestamp() - lastProgress > Stopwatch.Frequency)
            {
                return; // nothing moved for a second: the rest is lost
            }

            progress.Report(run, "drain");
            await Task.Delay(20, cancellationToken);
        }
    }
}
