namespace EdgeBroker.Stomp.Server;

/// <summary>What a destination header names (DESIGN.md "STOMP destinations"). Values are stable (logs).</summary>
public enum StompDestinationKind : byte
{
    /// <summary><c>/topic/&lt;topic or filter&gt;</c>: the shared topic space, MQTT syntax.</summary>
    Topic = 1,

    /// <summary><c>/queue/&lt;name&gt;</c>: a durable queue.</summary>
    Queue = 2,

    /// <summary><c>/temp-queue/&lt;name&gt;</c>: a queue private to this connection, deleted with it.</summary>
    TempQueue = 3,

    /// <summary><c>/exchange/&lt;name&gt;[/&lt;pattern&gt;]</c>: a named exchange.</summary>
    Exchange = 4,

    /// <summary><c>/stream/&lt;name&gt;</c>: a stream (served by the streams feature, not by this adapter yet).</summary>
    Stream = 5,
}
