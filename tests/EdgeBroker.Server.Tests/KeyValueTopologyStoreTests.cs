namespace EdgeBroker.Server.Tests;

using EdgeBroker.Core.Queues;
using EdgeBroker.Core.Routing;
using EdgeBroker.Server.Hosting;
using EdgeBroker.Storage;

[Trait("Category", "Unit")]
public sealed class KeyValueTopologyStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "eb-topo-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => TestBrokerHost.TryDelete(_directory);

    [Fact]
    public async Task DeclarationsSurviveReopenAndDeletesStick()
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal) { ["x-match"] = "all", ["kind"] = "a" };
        await using (var store = KeyValueTopologyStore.Open(_directory, new LogOptions(), out _))
        {
            store.SaveExchange(new ExchangeDeclaration("ev", ExchangeType.Headers));
            store.SaveExchange(new ExchangeDeclaration("gone", ExchangeType.Direct));
            store.SaveQueue(new QueueDeclaration("orders", new QueueOptions { MaxLength = 5, MessageTtl = TimeSpan.FromSeconds(3), DeadLetterQueue = "" }));
            store.SaveBinding(new BindingSpec("ev", "", BindingTargetKind.Queue, "orders", headers));
            store.SaveBinding(new BindingSpec("amq.topic", "a/#", BindingTargetKind.Queue, "orders"));
            store.DeleteExchange("gone");
            store.DeleteBinding(new BindingSpec("amq.topic", "a/#", BindingTargetKind.Queue, "orders"));
        }

        await using var reopened = KeyValueTopologyStore.Open(_directory, new LogOptions(), out var report);
        var snapshot = reopened.Load();

        Assert.True(report.CleanShutdown);
        Assert.Equal([new ExchangeDeclaration("ev", ExchangeType.Headers)], snapshot.Exchanges);
        var queue = Assert.Single(snapshot.Queues);
        Assert.Equal(new QueueDeclaration("orders", new QueueOptions { MaxLength = 5, MessageTtl = TimeSpan.FromSeconds(3), DeadLetterQueue = "" }), queue);
        var binding = Assert.Single(snapshot.Bindings);
        Assert.True(BindingSpecComparer.Instance.Equals(new BindingSpec("ev", "", BindingTargetKind.Queue, "orders", headers), binding));
        Assert.Equal(0, reopened.UnreadableEntries);
    }

    [Fact]
    public void BindingKeyIsIndependentOfHeaderOrder()
    {
        var a = new BindingSpec("ev", "", BindingTargetKind.Queue, "q", new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" });
        var b = new BindingSpec("ev", "", BindingTargetKind.Queue, "q", new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" });
        var c = new BindingSpec("ev", "", BindingTargetKind.Stream, "q", new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" });

        Assert.Equal(KeyValueTopologyStore.BindingKey(a), KeyValueTopologyStore.BindingKey(b));
        Assert.NotEqual(KeyValueTopologyStore.BindingKey(a), KeyValueTopologyStore.BindingKey(c));
    }
}
