namespace EdgeBroker.Storage;

/// <summary>The directory lock of file systems that need none. Thread-safety: stateless.</summary>
internal sealed class NoLock : IDisposable
{
    public static readonly NoLock Instance = new();

    public void Dispose()
    {
    }
}
