namespace EdgeBroker.Core.Messages;

/// <summary>Stored message bytes could not be decoded: truncated, garbage or an unknown format version.</summary>
public sealed class MessageFormatException : FormatException
{
    public MessageFormatException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
