namespace EdgeBroker.Mqtt.Tests;

using System.Reflection;

/// <summary>Guards the arrows of DESIGN.md: Server → Mqtt/Stomp → Core → Storage, nothing upward or sideways.</summary>
[Trait("Category", "Unit")]
public sealed class LayeringTests
{
    private static readonly Assembly Subject = typeof(EdgeBroker.Mqtt.MqttAssemblyMarker).Assembly;

    private static IEnumerable<string> References() => Subject.GetReferencedAssemblies().Select(a => a.Name!);

    [Fact]
    public void MqttNeverReferencesStompOrTheHost()
    {
        var refs = References().ToList();
        Assert.DoesNotContain(refs, n => n is "EdgeBroker.Stomp" or "EdgeBroker.Server");
    }
}
