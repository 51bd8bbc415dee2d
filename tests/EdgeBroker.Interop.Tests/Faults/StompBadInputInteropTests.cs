namespace EdgeBroker.Interop.Tests.Faults;

using System.Globalization;
using System.Text;
using EdgeBroker.Stomp.Codec;
using EdgeBroker.Stomp.Tests.Codec;
using EdgeBroker.Stomp.Tests.Server;
using Xunit.Abstractions;

/// <summary>
/// Issue 4/8 "Bad input and limits" against the real server process: the session table (<see cref="StompBadFrames"/>)
/// and the codec's malformed-frame table (<see cref="StompMalformedFrames"/>, rows that use the default limits) are
/// sent over raw TCP sockets. Each must get ERROR and then a close, the reason logged once at Warning for that
/// connection (matched by its remote port), and a healthy client connected the whole time keeps publishing and
/// receiving after each vector. Rows run a few at a time because the broker lingers 500 ms after an ERROR.
/// </summary>
[Trait("Category", "Interop")]
public sealed class StompBadInputInteropTests(StompBadInputInteropTests.Fixture fixture, ITestOutputHelper output) : IClassFixture<StompBadInputInteropTests.Fixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public Task EverySessionTableRowGetsAnErrorThenACloseWhileOthersAreServed() =>
        RunAsync(StompBadFrames.All.Select(r => new Row(r.Name, r.BeforeConnect ? null : "1.2", r.Bytes, r.ExpectedMessage)).ToList());

    [Fact]
    public Task EveryCodecTableRowGetsAnErrorThenACloseWhileOthersAreServed()
    {
        // Rows with custom (tiny) limits only make sense for the codec; rows that start with a valid DISCONNECT end the
        // connection normally before their bad part is read.
        var rows = StompMalformedFrames.All
            .Where(c => c.Limits is null && !c.Raw.StartsWith("DISCONNECT\n\n\0", StringComparison.Ordinal))
            .Select(c => new Row("codec:" + c.Name, VersionText(c.Version), c.Bytes, "malformed frame"))
            .ToList();
        return RunAsync(rows);
    }

    private async Task RunAsync(IReadOnlyList<Row> rows)
    {
        Assert.True(rows.Count >= 15, "the table lost its rows");
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var gate = new SemaphoreSlim(4);
        await Task.WhenAll(rows.Select(async row =>
        {
            await gate.WaitAsync();
            try
            {
                if (await CheckAsync(row) is { } problem)
                {
                    failures.Add($"{row.Name}: {problem}");
                }
            }
            finally
            {
                gate.Release();
            }
        }));

        output.WriteLine($"{rows.Count} vectors, {failures.Count} failures");
        Assert.True(failures.IsEmpty, string.Join('\n', failures));
        Assert.Empty(fixture.Broker.ErrorLines());
    }

    /// <summary>Null when the broker answered ERROR with the expected message, closed, and logged one Warning for this connection.</summary>
    private async Task<string?> CheckAsync(Row row)
    {
        int port;
        await using (var client = await RawTcpClient.ConnectAsync(fixture.Broker.StompPort))
        {
            port = client.LocalPort;
            var bytes = row.ConnectVersion is { } version ? [.. Encoding.UTF8.GetBytes(RawStomp.Connect(version)), .. row.Bytes] : row.Bytes;
            await client.SendAsync(bytes);
            if (row.ConnectVersion is not null)
            {
                var connected = await RawStomp.ReadAsync(client, Timeout);
                if (connected?.Command != "CONNECTED")
                {
                    return $"expected CONNECTED, got {connected?.ToString() ?? "a close"}";
                }
            }

            var error = await RawStomp.ReadAsync(client, Timeout);
            if (error?.Command != "ERROR" || error.Get("message") != row.ExpectedMessage)
            {
                return $"expected ERROR '{row.ExpectedMessage}', got {error?.ToString() ?? "a close"}";
            }

            var (closed, extra) = await client.WaitClosedAsync(Timeout);
            if (!closed || extra != 0)
            {
                return closed ? $"{extra} bytes after the ERROR" : "the broker did not close the connection";
            }
        }

        // The reason is logged at Warning, once, for this connection ("... from 127.0.0.1:<port>: ...").
        var marker = "from 127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture) + ":";
        bool ForThisConnection(string line) => line.Contains(marker, StringComparison.Ordinal);
        var logged = await BrokerLogCounter.WaitForAsync(fixture.Broker, ForThisConnection, 1, Timeout);
        await fixture.RoundTripAsync();
        logged = Math.Max(logged, BrokerLogCounter.Count(fixture.Broker, ForThisConnection));
        return logged == 1 ? null : $"expected one Warning line for the connection, got {logged}";
    }

    private static string VersionText(StompVersion version) => version switch
    {
        StompVersion.V10 => "1.0",
        StompVersion.V11 => "1.1",
        _ => "1.2",
    };

    private sealed record Row(string Name, string? ConnectVersion, byte[] Bytes, string ExpectedMessage);

    /// <summary>One broker for the class and one healthy STOMP client subscribed to /topic/healthy for the whole run.</summary>
    public sealed class Fixture : IAsyncLifetime, IDisposable
    {
        private readonly SemaphoreSlim _healthyGate = new(1);
        private RawTcpClient _healthy = null!;
        private int _next;

        public BrokerProcess Broker { get; } = new(["--fsync", "never", "--EdgeBroker:Mqtt:SysIntervalSeconds=0"]);

        public async Task InitializeAsync()
        {
            await Broker.StartAsync();
            _healthy = await RawTcpClient.ConnectAsync(Broker.StompPort);
            await _healthy.SendAsync(Encoding.UTF8.GetBytes(RawStomp.Connect("1.2") + "SUBSCRIBE\nid:h\ndestination:/topic/healthy\nreceipt:sub\n\n\0"));
            Assert.Equal("CONNECTED", (await RawStomp.ReadAsync(_healthy, Timeout))?.Command);
            Assert.Equal("sub", (await RawStomp.ReadAsync(_healthy, Timeout))?.Get("receipt-id"));
        }

        /// <summary>SEND with a receipt to the healthy client's own subscription: both the RECEIPT and the MESSAGE must arrive.</summary>
        public async Task RoundTripAsync()
        {
            await _healthyGate.WaitAsync();
            try
            {
                var n = (++_next).ToString(CultureInfo.InvariantCulture);
                Assert.True(await _healthy.SendAsync(Encoding.UTF8.GetBytes($"SEND\ndestination:/topic/healthy\nreceipt:r{n}\n\nping-{n}\0")), "the healthy client's socket was closed");
                bool receipted = false, delivered = false;
                while (!(receipted && delivered))
                {
                    var frame = await RawStomp.ReadAsync(_healthy, Timeout);
                    Assert.True(frame is not null, "the healthy client was disconnected");
                    receipted |= frame.Command == "RECEIPT" && frame.Get("receipt-id") == "r" + n;
                    delivered |= frame.Command == "MESSAGE" && frame.Body == "ping-" + n;
                }
            }
            finally
            {
                _healthyGate.Release();
            }
        }

        public async Task DisposeAsync()
        {
            await _healthy.DisposeAsync();
            await Broker.DisposeAsync();
        }

        public void Dispose() => _healthyGate.Dispose();
    }
}
