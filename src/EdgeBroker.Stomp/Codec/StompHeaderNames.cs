namespace EdgeBroker.Stomp.Codec;

using System.Text;

/// <summary>
/// Header names of the STOMP 1.2 spec. The reader returns these very instances for known names so a
/// frame's header names cost no allocation. Stateless and thread-safe.
/// </summary>
public static class StompHeaderNames
{
    public const string AcceptVersion = "accept-version";
    public const string Ack = "ack";
    public const string ContentLength = "content-length";
    public const string ContentType = "content-type";
    public const string Destination = "destination";
    public const string HeartBeat = "heart-beat";
    public const string Host = "host";
    public const string Id = "id";
    public const string Login = "login";
    public const string Message = "message";
    public const string MessageId = "message-id";
    public const string Passcode = "passcode";
    public const string Receipt = "receipt";
    public const string ReceiptId = "receipt-id";
    public const string Server = "server";
    public const string Session = "session";
    public const string Subscription = "subscription";
    public const string Transaction = "transaction";
    public const string Version = "version";

    private static readonly string[] Known =
    [
        AcceptVersion, Ack, ContentLength, ContentType, Destination, HeartBeat, Host, Id, Login, Message,
        MessageId, Passcode, Receipt, ReceiptId, Server, Session, Subscription, Transaction, Version,
        "persistent", "expires", "priority", "reply-to", "correlation-id", "redelivered", "timestamp",
    ];

    private static readonly byte[][] KnownBytes = [.. Known.Select(Encoding.ASCII.GetBytes)];

    /// <summary>The shared string for a known name, else a new string (bytes must be valid UTF-8).</summary>
    internal static string Intern(ReadOnlySpan<byte> utf8Name)
    {
        for (var i = 0; i < KnownBytes.Length; i++)
        {
            if (utf8Name.SequenceEqual(KnownBytes[i]))
            {
                return Known[i];
            }
        }

        return Encoding.UTF8.GetString(utf8Name);
    }
}
