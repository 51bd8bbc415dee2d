namespace EdgeBroker.Server.Tests.Fakes;

using EdgeBroker.Server.Hosting;
using EdgeBroker.Storage;

/// <summary>Opens a <see cref="FakeBroker"/> with canned recovery reports and a switchable read-only log.</summary>
internal sealed class FakeRuntimeFactory : IBrokerRuntimeFactory
{
    public FakeBroker Broker { get; } = new();

    public bool LogReadOnly { get; set; }

    public BrokerRuntimeContext? Context { get; private set; }

    /// <summary>A log directory name with every character the exposition format must escape.</summary>
    public const string OddLogName = "queues/we\"ird\\name\nx";

    public ValueTask<BrokerRuntime> OpenAsync(BrokerRuntimeContext context, CancellationToken cancellationToken)
    {
        Context = context;
        var reports = new[]
        {
            new RecoveryReport(Path.Combine(context.DataDirectory, "queues", "orders"), true, 1, 0, 0, [], 0, 3, TimeSpan.FromMilliseconds(2)),
            new RecoveryReport(OddLogName, false, 2, 17, 1, [new CorruptRange("00000000000000000000.log", 4096, 10, 12, "crc mismatch")], 0, 20, TimeSpan.FromMilliseconds(5)),
        };
        var runtime = new BrokerRuntime(
            Broker,
            reports,
            () => [new LogStatus("queues/orders", Path.Combine(context.DataDirectory, "queues", "orders"), 4096, 1, LogReadOnly)],
            [Broker]);
        return ValueTask.FromResult(runtime);
    }
}
