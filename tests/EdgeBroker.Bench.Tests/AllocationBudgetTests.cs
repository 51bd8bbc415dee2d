namespace EdgeBroker.Bench.Tests;

using EdgeBroker.Benchmarks.Workloads;
using Xunit.Abstractions;

/// <summary>
/// Checks the allocations of the micro-benchmark workloads against <see cref="AllocationBudgets"/>. The
/// workloads are the very code the BenchmarkDotNet classes run. Allocations only; timing is never asserted.
/// The tests of this class run one after another (one xunit collection) so nothing else allocates on their threads.
/// </summary>
[Trait("Category", "Unit")]
[Collection(nameof(AllocationBudgetTests))]
public sealed class AllocationBudgetTests(ITestOutputHelper output)
{
    public static TheoryData<string> CodecCases => ["MqttDecodePublish", "MqttEncodePublish", "StompDecodeSend", "StompEncodeMessage"];

    [Theory]
    [MemberData(nameof(CodecCases))]
    public void CodecStaysWithinItsBudget(string name)
    {
        var work = new CodecWorkloads();
        Func<int> operation = name switch
        {
            "MqttDecodePublish" => work.MqttDecodePublish,
            "MqttEncodePublish" => work.MqttEncodePublish,
            "StompDecodeSend" => work.StompDecodeSend,
            _ => work.StompEncodeMessage,
        };
        Check(name, operation);
    }

    [Fact]
    public void TopicMatchStaysWithinItsBudget()
    {
        var work = new TopicWorkloads();
        Assert.Equal(5, work.HitUncached());
        Assert.Equal(5, work.HitCached());
        Assert.Equal(1, work.MissUncached());
        Check("TopicHitUncached", work.HitUncached);
        Check("TopicHitCached", work.HitCached);
        Check("TopicMissUncached", work.MissUncached);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(50)]
    public async Task FanOutStaysWithinItsBudget(int subscribers)
    {
        await using var work = new FanOutWorkload(subscribers);
        Assert.NotEqual(-1, work.Publish());
        Assert.Equal(subscribers, work.Delivered);
        Check("FanOutPublish" + subscribers, work.Publish, iterations: 5_000);
    }

    private void Check(string name, Func<int> operation, int iterations = 20_000)
    {
        var measured = AllocationMeter.BytesPerOperation(operation, iterations);
        var (budget, _, what) = AllocationBudgets.Table[name];
        output.WriteLine($"{name}: {measured:F1} B/op (budget {budget} B/op) - {what}");
        Assert.True(measured <= budget, $"{name} allocates {measured:F1} B per operation, over its budget of {budget} B ({what}). See AllocationBudgets.cs.");
    }
}
