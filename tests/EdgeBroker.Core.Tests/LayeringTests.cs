namespace EdgeBroker.Core.Tests;

using System.Reflection;

/// <summary>Guards the arrows of DESIGN.md: Server → Mqtt/Stomp → Core → Storage, nothing upward or sideways.</summary>
[Trait("Category", "Unit")]
public sealed class LayeringTests
{
    private static readonly Assembly Subject = typeof(EdgeBroker.Core.IBroker).Assembly;

    private static IEnumerable<string> References() => Subject.GetReferencedAssemblies().Select(a => a.Name!);

    [Fact]
    public void CoreDependsOnStorageButNotOnAspNetOrAdapters()
    {
        var refs = References().ToList();
        Assert.Contains("EdgeBroker.Storage", refs);
        Assert.DoesNotContain(refs, n => n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.DoesNotContain(refs, n => n is "EdgeBroker.Mqtt" or "EdgeBroker.Stomp" or "EdgeBroker.Server");
    }
}
