namespace EdgeBroker.Bench.Tests;

/// <summary>The load tool is a plain client: it must measure other brokers with the same code, so it references no EdgeBroker assembly.</summary>
[Trait("Category", "Unit")]
public sealed class LayeringTests
{
    [Fact]
    public void LoadToolReferencesNoEdgeBrokerAssembly()
    {
        var refs = typeof(EdgeBroker.Bench.Stats.LatencyHistogram).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.DoesNotContain(refs, n => n.StartsWith("EdgeBroker.", StringComparison.Ordinal));
        Assert.DoesNotContain(refs, n => n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }
}
