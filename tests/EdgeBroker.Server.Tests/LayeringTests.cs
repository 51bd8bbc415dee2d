namespace EdgeBroker.Server.Tests;

using System.Reflection;

/// <summary>Guards the arrows of DESIGN.md: Server → Mqtt/Stomp → Core → Storage, nothing upward or sideways.</summary>
[Trait("Category", "Unit")]
public sealed class LayeringTests
{
    private static readonly Assembly Subject = typeof(EdgeBroker.Server.ServerAssemblyMarker).Assembly;

    private static IEnumerable<string> References() => Subject.GetReferencedAssemblies().Select(a => a.Name!);

    [Fact]
    public void ServerComposesCoreAndDoesNotReferenceStorageInternalsDirectlyForRouting()
    {
        var refs = References().ToList();
        Assert.Contains("EdgeBroker.Core", refs);
    }
}
