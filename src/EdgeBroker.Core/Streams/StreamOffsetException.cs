namespace EdgeBroker.Core.Streams;

/// <summary>An offset outside what a partition can serve (beyond its end, or negative): R7 never silently clamps forward.</summary>
public sealed class StreamOffsetException : ArgumentException
{
    public StreamOffsetException()
    {
    }

    public StreamOffsetException(string message)
        : base(message)
    {
    }

    public StreamOffsetException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
