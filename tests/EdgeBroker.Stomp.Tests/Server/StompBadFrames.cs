namespace EdgeBroker.Stomp.Tests.Server;

using System.Text;

/// <summary>One bad-input row for a STOMP server: raw frame text, the ERROR <c>message</c> expected, and whether it is sent before CONNECT.</summary>
public sealed record StompBadFrame(string Name, string Raw, string ExpectedMessage, bool BeforeConnect = false)
{
    public byte[] Bytes => Encoding.UTF8.GetBytes(Raw);

    public override string ToString() => Name;
}

/// <summary>
/// The session-level bad-input table: each row must be answered with ERROR (the given message) and then a close,
/// while other clients keep being served. Shared: the in-process server tests run it over pipes
/// (<see cref="StompBadInputTests"/>), and the interop project links this file to run it against the real process.
/// The codec's own table is <c>Codec/StompMalformedFrames.cs</c> ("malformed frame" on the wire).
/// </summary>
public static class StompBadFrames
{
    public const string Connect = "CONNECT\naccept-version:1.2\nhost:/\nheart-beat:0,0\n\n\0";

    public static IReadOnlyList<StompBadFrame> All { get; } =
    [
        new("header-without-colon", "SEND\ndestination /topic/a\n\nx\0", "malformed frame"),
        new("undefined-escape", "SEND\ndestination:/topic/a\nbad:\\t\n\nx\0", "malformed frame"),
        new("bad-content-length", "SEND\ndestination:/topic/a\ncontent-length:abc\n\nx\0", "malformed frame"),
        new("missing-nul-after-body", "SEND\ndestination:/topic/a\ncontent-length:1\n\nxy\0", "malformed frame"),
        new("body-where-none-allowed", "SUBSCRIBE\nid:1\ndestination:/topic/a\n\nbody\0", "malformed frame"),
        new("unknown-command", "FROB\n\n\0", "malformed frame"),
        new("wildcard-in-send", "SEND\ndestination:/topic/a/#\n\nx\0", "cannot SEND to a wildcard destination"),
        new("unknown-destination-prefix", "SEND\ndestination:/nowhere/a\n\nx\0", "invalid destination"),
        new("space-in-queue-name", "SEND\ndestination:/queue/a b\n\nx\0", "invalid destination"),
        new("subscribe-without-id", "SUBSCRIBE\ndestination:/topic/a\n\n\0", "missing id header"),
        new("invalid-subscription-filter", "SUBSCRIBE\nid:1\ndestination:/topic/a/#/b\n\n\0", "invalid destination"),
        new("invalid-ack-mode", "SUBSCRIBE\nid:1\ndestination:/topic/a\nack:sometimes\n\n\0", "invalid ack header"),
        new("invalid-ack-id", "ACK\nid:garbage\n\n\0", "invalid ack id"),
        new("server-frame-from-client", "MESSAGE\ndestination:/topic/a\n\n\0", "MESSAGE is a server frame"),
        new("second-connect", "CONNECT\naccept-version:1.2\n\n\0", "already connected"),
        new("unsubscribe-unknown", "UNSUBSCRIBE\nid:never\n\n\0", "unknown subscription"),
        new("frame-before-connect", "SEND\ndestination:/topic/a\n\nx\0", "expected CONNECT or STOMP as the first frame", BeforeConnect: true),
        new("subscribe-before-connect", "SUBSCRIBE\nid:1\ndestination:/topic/a\n\n\0", "expected CONNECT or STOMP as the first frame", BeforeConnect: true),
        new("too-many-headers", "SEND\ndestination:/topic/a\n" + string.Concat(Enumerable.Range(0, 101).Select(i => $"h{i}:v\n")) + "\nx\0", "malformed frame"),
        new("too-long-header-line", "SEND\ndestination:/topic/a\nlong:" + new string('v', 9 * 1024) + "\n\nx\0", "malformed frame"),
        new("declared-content-length-over-frame-limit", "SEND\ndestination:/topic/a\ncontent-length:2000000\n\n", "malformed frame"),
        new("oversize-frame", "SEND\ndestination:/topic/a\n\n" + new string('x', (1024 * 1024) + 16) + "\0", "malformed frame"),
        new("declared-content-length-over-pre-connect-cap", "CONNECT\naccept-version:1.2\ncontent-length:70000\n\n", "malformed frame", BeforeConnect: true),
        new("oversize-frame-before-connect", "CONNECT\naccept-version:1.2\nhost:/\nx:" + new string('a', 70 * 1024) + "\n\n\0", "malformed frame", BeforeConnect: true),
    ];

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var row in All)
        {
            data.Add(row.Name);
        }

        return data;
    }

    public static StompBadFrame Get(string name) => All.Single(r => r.Name == name);
}
