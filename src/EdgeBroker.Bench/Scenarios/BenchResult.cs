namespace EdgeBroker.Bench.Scenarios;

using System.Text;
using System.Text.Json;

/// <summary>The final figures of one run, written as one JSON line on stdout. Immutable once built.</summary>
public sealed record BenchResult
{
    public required string Scenario { get; init; }

    public string PublishProtocol { get; init; } = "";

    public string SubscribeProtocol { get; init; } = "";

    public int Qos { get; init; }

    public int Size { get; init; }

    public double Rate { get; init; }

    public int Publishers { get; init; }

    public int Subscribers { get; init; }

    public double DurationSeconds { get; init; }

    public long Sent { get; init; }

    public long Acked { get; init; }

    public long Received { get; init; }

    public long Lost { get; init; }

    public long Duplicated { get; init; }

    public double MsgsPerSecOut { get; init; }

    public double MsgsPerSecAcked { get; init; }

    public double MsgsPerSecIn { get; init; }

    /// <summary>"end-to-end" (publish → delivery) or "ack" (publish → PUBACK/RECEIPT) when nothing receives.</summary>
    public string LatencyKind { get; init; } = "end-to-end";

    public long LatencyP50Us { get; init; }

    public long LatencyP99Us { get; init; }

    public long LatencyP999Us { get; init; }

    public long LatencyMaxUs { get; init; }

    public long Stalls { get; init; }

    /// <summary>Average cores the broker used over the measurement window (1.0 = one core busy).</summary>
    public double? BrokerCpu { get; init; }

    public long? BrokerRssBytes { get; init; }

    public int? Connections { get; init; }

    public double? BytesPerConnection { get; init; }

    public IReadOnlyList<string> Errors { get; init; } = [];

    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("scenario", Scenario);
            json.WriteString("pub", PublishProtocol);
            json.WriteString("sub", SubscribeProtocol);
            json.WriteNumber("qos", Qos);
            json.WriteNumber("size", Size);
            json.WriteNumber("rate", Rate);
            json.WriteNumber("publishers", Publishers);
            json.WriteNumber("subscribers", Subscribers);
            json.WriteNumber("durationSec", Math.Round(DurationSeconds, 3));
            json.WriteNumber("sent", Sent);
            json.WriteNumber("acked", Acked);
            json.WriteNumber("received", Received);
            json.WriteNumber("lost", Lost);
            json.WriteNumber("duplicated", Duplicated);
            json.WriteNumber("msgsPerSecOut", Math.Round(MsgsPerSecOut, 1));
            json.WriteNumber("msgsPerSecAcked", Math.Round(MsgsPerSecAcked, 1));
            json.WriteNumber("msgsPerSecIn", Math.Round(MsgsPerSecIn, 1));
            json.WriteString("latencyKind", LatencyKind);
            json.WriteStartObject("latencyUs");
            json.WriteNumber("p50", LatencyP50Us);
            json.WriteNumber("p99", LatencyP99Us);
            json.WriteNumber("p999", LatencyP999Us);
            json.WriteNumber("max", LatencyMaxUs);
            json.WriteEndObject();
            json.WriteNumber("stalls", Stalls);
            WriteOptional(json, "brokerCpu", BrokerCpu is { } cpu ? Math.Round(cpu, 3) : null);
            WriteOptional(json, "brokerRssBytes", BrokerRssBytes);
            WriteOptional(json, "connections", Connections);
            WriteOptional(json, "bytesPerConnection", BytesPerConnection is { } b ? Math.Round(b, 1) : null);
            json.WriteStartArray("errors");
            foreach (var error in Errors)
            {
                json.WriteStringValue(error);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
