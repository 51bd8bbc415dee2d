namespace EdgeBroker.Stomp;

/// <summary>Names this assembly in tests (LayeringTests) without depending on any real type.</summary>
public static class StompAssemblyMarker
{
}
