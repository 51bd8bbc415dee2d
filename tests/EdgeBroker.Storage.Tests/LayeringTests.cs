namespace EdgeBroker.Storage.Tests;

using System.Reflection;

/// <summary>Guards the arrows of DESIGN.md: Server → Mqtt/Stomp → Core → Storage, nothing upward or sideways.</summary>
[Trait("Category", "Unit")]
public sealed class LayeringTests
{
    private static readonly Assembly Subject = typeof(EdgeBroker.Storage.Log).Assembly;

    private static IEnumerable<string> References() => Subject.GetReferencedAssemblies().Select(a => a.Name!);

    [Fact]
    public void StorageReferencesOnlyTheBaseClassLibrary()
    {
        var foreign = References().Where(n => !(n.StartsWith("System", StringComparison.Ordinal) || n == "netstandard" || n == "mscorlib")).ToList();
        Assert.Empty(foreign);
    }
}
