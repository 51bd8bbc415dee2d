namespace EdgeBroker.Interop.Tests.Faults;

using System.Globalization;
using System.Text;
using Xunit.Abstractions;

/// <summary>
/// Issue 3/8 "Bad input and limits" against the real server process: every vector of <see cref="MqttBadInput"/> is
/// sent over a raw TCP socket, the broker must answer as the row says and close, log the reason once at Warning,
/// and a healthy client connected the whole time must keep publishing and receiving after each vector.
/// </summary>
[Trait("Category", "Interop")]
public sealed class MqttBadInputTests(MqttBadInputTests.Fixture fixture, ITestOutputHelper output) : IClassFixture<MqttBadInputTests.Fixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public Task EveryCodecTableVectorIsAnsweredAndClosedWhileOthersAreServed() => RunAsync(MqttBadInput.FromCodecTable().ToList());

    [Fact]
    public Task EverySessionAndLimitVectorIsAnsweredAndClosedWhileOthersAreServed() => RunAsync(MqttBadInput.ServerTable().ToList());

    private async Task RunAsync(IReadOnlyList<MqttBadInput> rows)
    {
        Assert.True(rows.Count >= 15, "the table lost its rows");
        var failures = new List<string>();
        foreach (var row in rows)
        {
            var before = BrokerLogCounter.Count(fixture.Broker, IsMqttConnectionWarning);
            var problem = await SendAndCheckAsync(row);
            var logged = await BrokerLogCounter.WaitForAsync(fixture.Broker, IsMqttConnectionWarning, before + 1, Timeout);
            await fixture.Healthy.RoundTripAsync();
            var after = BrokerLogCounter.Count(fixture.Broker, IsMqttConnectionWarning);
            if (problem is null && (logged < before + 1 || after != before + 1))
            {
                problem = $"expected the reason logged once at Warning, got {after - before} lines";
            }

            if (problem is not null)
            {
                failures.Add($"{row.Name}: {problem}");
            }
        }

        output.WriteLine($"{rows.Count} vectors, {failures.Count} failures");
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.Empty(fixture.Broker.ErrorLines());
    }

    private static bool IsMqttConnectionWarning(string line) => line.Contains("MQTT connection ", StringComparison.Ordinal);

    /// <summary>Null when the broker reacted as the row says; otherwise what it did instead.</summary>
    private async Task<string?> SendAndCheckAsync(MqttBadInput row)
    {
        await using var client = await RawTcpClient.ConnectAsync(fixture.Broker.MqttPort);
        if (row.ConnectLevel != 0)
        {
            await client.SendAsync(RawMqtt.Connect("bad-" + Guid.NewGuid().ToString("N")[..8], row.ConnectLevel));
            var connack = await RawMqtt.ReadAsync(client, Timeout);
            if (connack is not { Type: 2 } || connack.Body[1] != 0)
            {
                return $"CONNECT level {row.ConnectLevel} not accepted: {connack}";
            }
        }

        await client.SendAsync(row.Bytes);
        if (row.Reaction != MqttReactionKind.Close)
        {
            var answer = await RawMqtt.ReadAsync(client, Timeout);
            var (type, code) = row.Reaction == MqttReactionKind.ConnAck ? (2, answer?.Body.ElementAtOrDefault(1)) : (14, answer is null ? (byte?)null : answer.Body.FirstOrDefault());
            if (answer is null || answer.Type != type || code != row.Code)
            {
                return $"expected {row.Reaction} 0x{row.Code:X2}, got {answer?.ToString() ?? "a close"}";
            }
        }

        var (closed, extra) = await client.WaitClosedAsync(Timeout);
        return !closed ? "the broker did not close the connection"
            : extra != 0 ? $"the broker sent {extra} unexpected bytes before closing"
            : null;
    }

    /// <summary>One broker for the class, and one healthy 3.1.1 client (keep-alive 0) that stays connected throughout.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public BrokerProcess Broker { get; } = new(["--EdgeBroker:Mqtt:SysIntervalSeconds=0", "--fsync", "never"]);

        public HealthyMqttClient Healthy { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await Broker.StartAsync();
            Healthy = await HealthyMqttClient.ConnectAsync(Broker.MqttPort);
        }

        public async Task DisposeAsync()
        {
            await Healthy.DisposeAsync();
            await Broker.DisposeAsync();
        }
    }
}

/// <summary>A well-behaved client: publishes QoS 1 to its own subscription and expects both the PUBACK and the delivery.</summary>
public sealed class HealthyMqttClient : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly RawTcpClient _client;
    private ushort _nextId;

    private HealthyMqttClient(RawTcpClient client) => _client = client;

    public static async Task<HealthyMqttClient> ConnectAsync(int port)
    {
        var client = await RawTcpClient.ConnectAsync(port);
        await client.SendAsync(RawMqtt.Connect("healthy-" + Guid.NewGuid().ToString("N")[..8], 4));
        var connack = await RawMqtt.ReadAsync(client, Timeout);
        Assert.True(connack is { Type: 2 } && connack.Body[1] == 0, $"healthy CONNECT refused: {connack}");
        await client.SendAsync(RawMqtt.Subscribe("healthy/#", 1, 0));
        var suback = await RawMqtt.ReadAsync(client, Timeout);
        Assert.True(suback is { Type: 9 } && suback.Body[2] == 0, $"healthy SUBSCRIBE refused: {suback}");
        return new HealthyMqttClient(client);
    }

    /// <summary>Publishes one QoS 1 message and waits for its PUBACK and its delivery; fails the test otherwise.</summary>
    public async Task RoundTripAsync()
    {
        var id = ++_nextId;
        var payload = "ping-" + id.ToString(CultureInfo.InvariantCulture);
        Assert.True(await _client.SendAsync(RawMqtt.Publish("healthy/" + id, payload, qos: 1, packetId: id)), "the healthy client's socket was closed");
        bool acked = false, delivered = false;
        while (!(acked && delivered))
        {
            var packet = await RawMqtt.ReadAsync(_client, Timeout);
            Assert.True(packet is not null, "the healthy client was disconnected");
            if (packet.Type == 4 && packet.Body[0] == id >> 8 && packet.Body[1] == (byte)id)
            {
                acked = true;
            }
            else if (packet.Type == 3 && Encoding.UTF8.GetString(packet.Body).EndsWith(payload, StringComparison.Ordinal))
            {
                delivered = true;
            }
        }
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
