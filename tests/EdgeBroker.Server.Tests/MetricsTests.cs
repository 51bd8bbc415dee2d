namespace EdgeBroker.Server.Tests;

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using EdgeBroker.Server.Tests.Fakes;

/// <summary>Parses /metrics line by line against the Prometheus text exposition format.</summary>
[Trait("Category", "Integration")]
public sealed partial class MetricsTests
{
    [GeneratedRegex("^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$")]
    private static partial Regex HelpLine();

    [GeneratedRegex("^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)$")]
    private static partial Regex SampleLine();

    [GeneratedRegex("^([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"")]
    private static partial Regex LabelPair();

    internal sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    /// <summary>A strict parser: every line must be HELP, TYPE or a sample of a family whose TYPE came first.</summary>
    internal static List<Sample> Parse(string text)
    {
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var typed = new Dictionary<string, string>(StringComparer.Ordinal);
        var samples = new List<Sample>();
        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            if (HelpLine().IsMatch(line))
            {
                continue;
            }

            if (TypeLine().Match(line) is { Success: true } type)
            {
                Assert.True(typed.TryAdd(type.Groups[1].Value, type.Groups[2].Value), $"family declared twice: {line}");
                continue;
            }

            var sample = SampleLine().Match(line);
            Assert.True(sample.Success, $"not a valid exposition line: '{line}'");
            var name = sample.Groups[1].Value;
            Assert.True(typed.ContainsKey(name) || IsHistogramSeries(name, typed), $"sample of an undeclared family: '{line}'");
            var labels = ParseLabels(sample.Groups[3].Value, line);
            var raw = sample.Groups[4].Value;
            var value = raw switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                _ => double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            samples.Add(new Sample(name, labels, value));
        }

        return samples;
    }

    /// <summary>A histogram family <c>x</c> owns the series <c>x_bucket</c>, <c>x_sum</c> and <c>x_count</c>.</summary>
    private static bool IsHistogramSeries(string name, Dictionary<string, string> typed)
    {
        foreach (var suffix in (string[])["_bucket", "_sum", "_count"])
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && typed.TryGetValue(name[..^suffix.Length], out var type) && type == "histogram")
            {
                return true;
            }
        }

        return false;
    }

    private static Dictionary<string, string> ParseLabels(string text, string line)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var rest = text;
        while (rest.Length > 0)
        {
            var pair = LabelPair().Match(rest);
            Assert.True(pair.Success, $"bad label set in '{line}'");
            labels.Add(pair.Groups[1].Value, Unescape(pair.Groups[2].Value));
            rest = rest[pair.Length..];
            if (rest.StartsWith(','))
            {
                rest = rest[1..];
            }
        }

        return labels;
    }

    private static string Unescape(string value)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\')
            {
                i++;
                sb.Append(value[i] switch { 'n' => '\n', var c => c });
            }
            else
            {
                sb.Append(value[i]);
            }
        }

        return sb.ToString();
    }

    [Fact]
    public async Task ExposesCountersQueueGaugesLogsAndRecoveryInValidTextFormat()
    {
        await using var host = await TestBrokerHost.StartAsync("--EdgeBroker:Queues:0:Name=orders");
        for (var i = 0; i < 3; i++)
        {
            await host.Client.PostAsync("/api/publish", new StringContent($"{{\"queue\":\"orders\",\"payload\":\"m{i}\"}}", Encoding.UTF8, "application/json"));
        }

        var response = await host.Client.GetAsync("/metrics");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("0.0.4", response.Content.Headers.ContentType?.Parameters.Single(p => p.Name == "version").Value);
        var samples = Parse(await response.Content.ReadAsStringAsync());

        double One(string name, string? label = null, string? value = null) =>
            Assert.Single(samples, s => s.Name == name && (label is null || (s.Labels.TryGetValue(label, out var v) && v == value))).Value;

        Assert.Equal(1, One("edgebroker_up"));
        Assert.Equal(3, One("edgebroker_messages_in_total"));
        Assert.Equal(6, One("edgebroker_bytes_in_total"));
        Assert.Equal(3, One("edgebroker_queue_ready_messages", "queue", "orders"));
        Assert.Equal(0, One("edgebroker_queue_consumers", "queue", "orders"));
        Assert.Equal(1, One("edgebroker_fsync_policy_info", "policy", "always"));
        Assert.Equal(4096, One("edgebroker_log_size_bytes", "log", "queues/orders"));
        Assert.Equal(0, One("edgebroker_log_read_only", "log", "queues/orders"));
        Assert.Equal(1, One("edgebroker_recovery_corrupt_ranges", "log", FakeRuntimeFactory.OddLogName));
        Assert.Equal(17, One("edgebroker_recovery_bytes_truncated", "log", FakeRuntimeFactory.OddLogName));
        Assert.Equal(0, One("edgebroker_recovery_clean_shutdown", "log", FakeRuntimeFactory.OddLogName));
    }
}
